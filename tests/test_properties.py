"""Invariants on any input: output comes from the input, stripping is idempotent, no crash."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_SEEDS
from stripper import Config, InputFormat, Stripper, strip
from stripper.text import EDGE_SPACE

SEED_LINES = [
    line
    for path in sorted((FIXTURE_SEEDS / "input").glob("*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
]
CHROME_LINES = [
    "Related Articles", "Comments", "No comments yet...", "Most Read", "Photo: EPA", "- CNA",
    "2 hours ago", "Share this article", "Advertisement", "Home", "News", "Sport",
    "date 2025-07-23 ", "Hashtags", "Tags:", "© 2025 Example", "Read more: Other story",
    "* [Home](https://example.com/)", "## Related Articles", "![](https://example.com/a.jpg)",
    "**Share this article**", "by ", " on ", ", said",
]  # fmt: skip

lines = st.one_of(
    st.sampled_from(SEED_LINES),
    st.sampled_from(CHROME_LINES),
    st.text(max_size=120),
    st.text(alphabet=st.sampled_from("abc XYZ.,:!?-—\u00a0\u200b\t"), max_size=200),
    st.just(""),
)
documents = st.builds(
    lambda parts, sep: sep.join(parts),
    st.lists(lines, max_size=40),
    st.sampled_from(["\n", "\r\n", "\n\n", "\r", "\n \n"]),
)
any_text = st.one_of(documents, st.text(max_size=2000))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def squeezed(text: str) -> str:
    """The text without white space of any kind (zero-width too), which joins may change."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in EDGE_SPACE)


@SETTINGS
@given(any_text)
def test_every_output_line_comes_from_the_input(text):
    source = squeezed(text)
    for line in strip(text).body.splitlines():
        assert squeezed(line) in source


@SETTINGS
@given(any_text)
def test_stripping_twice_equals_stripping_once(text):
    once = strip(text).body
    assert strip(once).body == once


@SETTINGS
@given(any_text)
def test_removals_and_kept_spans_lie_inside_the_input(text):
    result = strip(text)
    for span in [*result.kept, *result.removed]:
        assert 0 <= span.start <= span.end <= len(text)
    for removal in result.removed:
        assert squeezed(removal.text) in squeezed(text)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(max_size=1000),
        st.builds(lambda a, b: f"<html><body>{a}<p>{b}</p>", st.text(), st.text()),
    )
)
def test_html_input_never_raises(markup):
    assert isinstance(Stripper(Config(input_format=InputFormat.HTML)).strip(markup).body, str)
