"""Every rule group, per language: lines it must drop, and lines that must stay.

Each case puts the line inside a short article, so rules that look at context
(section markers, menus) see a realistic neighbourhood.
"""

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stripper import Config, Stripper, strip
from stripper.document import Document
from stripper.layout import segment
from stripper.rules import (
    ASCII_LOOKALIKES,
    _first_characters,
    _parsed,
    _required_text,
    load_rules,
)
from stripper.stages import InlineChrome, MarkedTail, SectionMarkers, SignedComments

STORY_BEFORE = [
    "The city council approved the new budget on Tuesday after a long debate about transport.",
    "Officials said the plan would add two new bus lines and repair several old bridges soon.",
]
STORY_AFTER = [
    "Critics argued that the spending was too high, but the mayor said it was long overdue.",
    "The budget takes effect in January and will be reviewed again at the end of next year.",
]


def article_with(line: str) -> str:
    return "\n".join([*STORY_BEFORE, line, *STORY_AFTER])


def removed_texts(text: str) -> list[str]:
    return [r.text for r in strip(text).removed]


# (rule group, language, line): a line of chrome inside an article, which must go alone.
INLINE_DROPS = [
    ("caption", "any", "Photo: EPA"),
    ("caption", "any", "(Photo Credit : PTI)"),
    ("caption", "any", "Image: Getty Images"),
    ("caption", "en", "Photograph: Reuters"),
    ("caption", "de", "Foto: dpa"),
    ("caption", "fr", "Crédit photo : AFP"),
    ("caption", "es", "Foto: EFE"),
    ("caption", "it", "Foto: Ansa"),
    ("caption", "pt", "Foto: Lusa"),
    ("caption", "nl", "Foto: ANP"),
    ("advertisement", "en", "Advertisement"),
    ("advertisement", "en", "Story continues below advertisement"),
    ("advertisement", "en", "- Advertisement -"),
    ("advertisement", "de", "Anzeige:"),
    ("caption", "en", "Photograph by Ed Marshall, Restoration Programme"),
    ("advertisement", "de", "Anzeige"),
    ("advertisement", "fr", "Publicité"),
    ("advertisement", "es", "Publicidad"),
    ("advertisement", "it", "Pubblicità"),
    ("advertisement", "pt", "Publicidade"),
    ("advertisement", "nl", "Advertentie"),
    ("read_more", "en", "Read more: Markets slide as rates rise"),
    ("read_more", "de", "Lesen Sie auch: Die Bahn erhöht die Preise"),
    ("read_more", "fr", "À lire aussi : la réforme des retraites"),
    ("read_more", "es", "Lee también: El Gobierno aprueba el plan"),
    ("read_more", "es", "Lea también: ¿Qué es la reforma y para qué sirve?"),
    ("read_more", "pl", "Czytaj też: Czy grozi nam wojna?"),
    ("read_more", "it", "Leggi anche: il governo approva il piano"),
    ("read_more", "pt", "Leia também: Governo aprova o plano"),
    ("read_more", "nl", "Lees ook: Kabinet keurt plan goed"),
    ("share", "any", "Facebook Twitter WhatsApp Email"),
    ("share", "en", "Share this article"),
    ("share", "en", "Follow us on Instagram"),
    ("share", "de", "Artikel teilen"),
    ("share", "fr", "Partager"),
    ("share", "es", "Compartir"),
    ("share", "it", "Condividi"),
    ("share", "pt", "Compartilhe"),
    ("share", "nl", "Deel dit artikel"),
    ("share", "ru", "Поделиться: ВКонтакте Одноклассники Telegram"),
    ("share", "zh", "分享到：微博 微信 QQ空间"),
    ("share", "ja", "シェアする"),
    ("share", "ko", "공유하기"),
    ("caption", "ja", "写真：共同通信"),
    ("caption", "ko", "사진=연합뉴스"),
    ("caption", "id", "Foto: Antara"),
    ("caption", "tr", "Fotoğraf: AA"),
    ("caption", "any", "The minister arrives at parliament on Tuesday (Photo: Ana Lopez/AP)"),
    ("caption", "any", "Workers at the depot, illustrative picture / Photo: Ana Lopez"),
    ("caption", "any", "Workers at the depot, illustrative picture / Source: Pixabay"),
    ("read_more", "ja", "続きを読む"),
    ("read_more", "ko", "기사 더보기"),
    ("read_more", "id", "Baca juga: Harga minyak naik lagi"),
    ("read_more", "tr", "Devamını oku"),
    ("copyright", "any", "ⓒ 연합뉴스"),
    ("copyright", "ja", "記事・写真の無断転載を禁じます"),
    ("copyright", "ko", "저작권자 © 연합뉴스 무단전재 및 재배포 금지"),
    ("copyright", "id", "Hak cipta dilindungi undang-undang."),
    ("copyright", "tr", "Tüm hakları saklıdır."),
    ("cookie_notice", "en", "We use cookies to improve your experience. By continuing you accept."),
    ("cookie_notice", "en", "Accept all cookies"),
    (
        "cookie_notice",
        "en",
        "We and selected third parties use cookies or similar technologies for technical "
        "purposes and, with your consent, for other purposes.",
    ),
    ("cookie_notice", "en", "You can freely give, deny, or withdraw your consent at any time."),
    ("cookie_notice", "en", "Use the “Accept” button to consent."),
    ("cookie_notice", "de", "Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten."),
    ("cookie_notice", "fr", "Nous utilisons des cookies pour améliorer votre expérience."),
    ("cookie_notice", "es", "Utilizamos cookies para mejorar su experiencia."),
    ("cookie_notice", "it", "Utilizziamo i cookie per migliorare la tua esperienza."),
    ("cookie_notice", "pt", "Utilizamos cookies para melhorar a sua experiência."),
    ("cookie_notice", "nl", "Wij gebruiken cookies om uw ervaring te verbeteren."),
    ("copyright", "any", "© 2025 Example Media Ltd. All rights reserved."),
    ("copyright", "any", "Copyright 2024 The Daily Example"),
    ("copyright", "any", "(Copyright 2024 by The Example Wire. All Rights Reserved.)"),
    (
        "copyright",
        "en",
        "© 2024 Example Media Inc. All Rights Reserved. This material may not be published, "
        "broadcast, rewritten, or redistributed. The Example Wire contributed to this report.",
    ),
    ("copyright", "de", "Alle Rechte vorbehalten."),
    ("copyright", "fr", "Tous droits réservés."),
    ("copyright", "es", "Todos los derechos reservados."),
    ("copyright", "it", "Tutti i diritti riservati."),
    ("copyright", "pt", "Todos os direitos reservados."),
    ("copyright", "nl", "Alle rechten voorbehouden."),
    ("breadcrumb", "any", "Home > News > World"),
    ("timestamp", "en", "2 hours ago"),
    ("timestamp", "en", "Updated: 23 July 2025, 10:42"),
    ("timestamp", "de", "vor 3 Stunden"),
    ("timestamp", "fr", "il y a 2 heures"),
    ("timestamp", "es", "hace 5 minutos"),
    ("timestamp", "it", "3 ore fa"),
    ("timestamp", "pt", "há 2 horas"),
    ("timestamp", "nl", "2 uur geleden"),
    ("source_tag", "any", "- CNA"),
    ("source_tag", "any", "— Reuters"),
    ("byline", "en", "By Jane Smith"),
    ("byline", "de", "Von Anna Müller"),
    (
        "markup",
        "any",
        '<a href="http://ads.example.com/click?n=7" target="_blank">'
        '<img src="http://ads.example.com/b.gif" border="0"></a>',
    ),
    ("script", "any", "<SCRIPT LANGUAGE='JavaScript'>if (document.layers) {document.write(ad);}"),
    ("script", "any", "var s = 1; if (s) { document.write(ad); window.ads = [s]; }"),
    ("counted_list", "any", "Archives October 2025 (3) September (4) August (1) July (7)"),
    ("share", "en", "Share this:"),
    ("page_tools", "en", "Email this story Print this story"),
    ("page_tools", "en", "Printer-friendly version | Back to top"),
    ("page_tools", "en", "Skip to main content"),
    ("page_tools", "en", "Loading…"),
    ("page_tools", "en", "Post navigation"),
    ("page_tools", "de", "Gefällt mir Lade..."),
    ("page_tools", "fr", "Navigation des articles"),
    ("page_tools", "es", "Me gusta esto:"),
    ("share", "de", "Teilen Sie dies mit:"),
    ("post_navigation", "en", "Next post: Six ways to refuel your energy every day"),
    ("post_navigation", "en", "Previous: Out on a High Note | Next: New Year, New Low"),
    ("post_navigation", "de", "« Vorheriger Beitrag"),
    ("post_navigation", "es", "Entrada siguiente: El Gobierno aprueba el plan"),
    ("newsletter", "en", "Sign up for the Daily Example newsletter"),
    ("newsletter", "en", "Subscribe to RSS feeds"),
    ("newsletter", "en", "Subscribe"),
    ("read_more", "en", "Learn more"),
    ("read_more", "de", "Mehr erfahren"),
    (
        "comment_form",
        "en",
        "Your email address will not be published. Required fields are marked *",
    ),
    ("share", "any", "Post this story to: del.icio.us | Digg | Newsvine | Reddit | Fark"),
    ("share", "any", "Digg This | Save to del.icio.us"),
    ("caption", "any", "Dmitry Muratov, periodista ruso (REUTERS/Denis Balibouse)"),
    ("caption", "pl", "Fot. Jan Kowalski / Agencja Gazeta"),
    ("source_tag", "pl", "aja/PAP"),
    ("read_more", "pl", "Czytaj też: Spór w Sejmie. Posłowie głosują dziś"),
    ("read_more", "es", "PUEDES VER: ¿Qué es la Sunedu y para qué sirve?"),
    ("read_more", "es", "Infórmate más"),
    ("read_more", "es", "MIRA: Madre se acerca a conocer los motivos de su captura"),
    ("read_more", "es", "Lea: Consejo Permanente de la OEA aborda la confiscación"),
    ("share", "es", "Siguenos en Telegram, Instagram y Twitter para recibir todas las novedades"),
    ("comment_form", "es", "Para comentar debes registrarte y completar los datos generales."),
    ("cookie_notice", "pl", "Zapraszamy na naszą stronę. Informujemy, że korzystamy z cookies."),
    ("comment_form", "any", "Please enable JavaScript to view the comments powered by Disqus."),
    ("comment_form", "any", "blog comments powered by Disqus"),
    ("comment_form", "en", "What's Your Reaction? 0 0 0 0 Reactions"),
    ("comment_form", "en", "Add your comment"),
    ("comment_form", "en", "POST YOUR COMMENTS:"),
    ("page_tools", "en", "Be the first to like this."),
    ("tags", "en", "Tags: budget, transport, council"),
    ("tags", "en", "Filed under Politics, Elections"),
    ("tags", "en", "Tagged as: hurricanes, natural disasters"),
    ("tags", "de", "Abgelegt unter Politik, Wahlen"),
    ("tags", "fr", "Classé dans : Politique"),
    ("tags", "de", "Schlagwörter: Haushalt, Verkehr"),
    ("tags", "fr", "Mots-clés : budget, transports"),
    ("tags", "es", "Etiquetas: presupuesto, transporte"),
    ("tags", "it", "Argomenti: bilancio, trasporti"),
    ("tags", "pt", "Tags: orçamento, transportes"),
    ("tags", "nl", "Trefwoorden: begroting, vervoer"),
    ("caption", "en", "View Larger Image"),
    ("caption", "any", "Rescue teams search the rubble in Antakya. Photo: Anadolu/Getty Images"),
    ("caption", "any", "Die Kanzlerin am Montag in Berlin. (Foto: dpa)"),
    ("advertisement", "en", "Article continues below"),
    ("caption", "pl", "Źródło: PAP"),
    ("advertisement", "pl", "Reklama"),
    ("read_more", "pl", "Czytaj też: Rząd przyjął nowy budżet"),
    ("share", "pl", "Udostępnij"),
    ("copyright", "pl", "Wszelkie prawa zastrzeżone."),
    ("timestamp", "pl", "Opublikowano: 12 marca 2021"),
    ("tags", "pl", "Tagi: budżet, transport"),
    ("caption", "ru", "Фото: ТАСС"),
    ("advertisement", "ru", "Реклама"),
    ("read_more", "ru", "Читайте также: Совет одобрил бюджет"),
    ("share", "ru", "Поделиться"),
    ("copyright", "ru", "© 2025 Пример. Все права защищены."),
    ("timestamp", "ru", "Опубликовано: 12.03.2021 10:42"),
    ("tags", "ru", "Теги: бюджет, транспорт"),
    ("caption", "zh", "图片来源：新华社"),
    ("advertisement", "zh", "广告"),
    ("read_more", "zh", "相关阅读：市议会通过新预算"),
    ("share", "zh", "分享到："),
    ("copyright", "zh", "版权所有 示例新闻网"),
    ("timestamp", "zh", "发布时间：2025-07-23 10:42"),
    ("tags", "zh", "标签：预算 交通"),
]


@pytest.mark.parametrize(("group", "language", "line"), INLINE_DROPS)
def test_inline_chrome_line_is_dropped_alone(group, language, line):
    result = strip(article_with(line))
    assert [r.text for r in result.removed] == [line]
    assert result.removed[0].reason.rule.split("/")[0] == group
    assert result.body.splitlines() == [*STORY_BEFORE, *STORY_AFTER]


@pytest.mark.parametrize(("group", "language", "line"), INLINE_DROPS)
def test_inline_chrome_line_is_covered_by_its_language(group, language, line):
    """With only that language's rules loaded (plus language-neutral ones), it still goes."""
    only = Stripper(Config(languages=frozenset({language})))
    removed = only.strip(article_with(line)).removed
    assert [r.reason.rule for r in removed] in ([f"{group}/{language}"], [f"{group}/any"])


# Prose that merely mentions a chrome word, and in-article lines that look short.
KEEPS = [
    "The comments he made at the rally were widely criticised by opposition leaders.",
    "Photo agencies said they would no longer send staff to the region after the attack.",
    "Next, the committee will hear from the transport minister and two rail unions.",
    "The agency sent its pictures at noon. Photo editors: most chose the second frame, why?",
    "Share prices fell sharply after the announcement, wiping out a week of gains.",
    "Más de cien heridos en el accidente de tren",
    "Mira: I think the council got the budget right, and the buses will prove it.",
    "Lee: We were told the plan would add two bus lines, but nobody asked the drivers.",
    "We use cookies as an example of how tracking works, the researcher explained.",
    "Copyright law in the European Union was reformed in 2019 after years of lobbying.",
    "Related talks in Geneva had collapsed in May, according to two diplomats.",
    "DEADLINE APPROACHES",
    "Hong Kong —",
    "Die Kommentare des Ministers sorgten für Empörung im Parlament und bei Verbänden.",
    "Les commentaires du ministre ont provoqué la colère des syndicats et des élus.",
    "Los comentarios del ministro provocaron la indignación de los sindicatos del sector.",
    "I commenti del ministro hanno provocato l'indignazione dei sindacati e dei partiti.",
    "Os comentários do ministro provocaram a indignação dos sindicatos e dos partidos.",
    "De reacties van de minister leidden tot woede bij de vakbonden en de oppositie.",
    "- apples and pears",
    "By the numbers",
    '<a href="https://example.org/report">The council\'s report</a> lists every vote of the year.',
    "The Muppet Movie (1979) The Great Muppet Caper (1981) The Muppets Take Manhattan (1984)",
    "document.getElementById('total').textContent = sum;",
    "Seats won: Labour (412), Conservative (166), Liberal Democrats (52), others (29).",
    "Send in the clowns",
    "Print runs were cut by half as paper prices rose through the summer.",
    "Tags: the new plates on cars will be issued in March, the ministry said.",
    "Loading the ferry took most of the morning.",
    "Subscribe to the idea that small towns need faster trains, and you will find allies.",
    "Unemployment fell to 5.1 per cent in March (source: the national statistics office).",
]


def test_a_table_written_with_pipes_is_no_breadcrumb():
    """An extractor writes a table's rows as `cell | cell`: its header row stays, while
    the same line alone goes as a breadcrumb."""
    table = ["Response | Votes | Share", "Yes | 412 | 61%", "No | 263 | 39%"]
    result = strip("\n".join([*STORY_BEFORE, *table, *STORY_AFTER]))
    assert result.removed == []
    assert [r.reason.rule for r in strip(article_with(table[0])).removed] == ["breadcrumb/any"]


def test_a_listing_line_goes_at_any_length():
    """A widget of a hundred counted items comes out of a page as one long line."""
    months = " ".join(f"Month {number} of the archive ({number % 9 + 1})" for number in range(100))
    result = strip(article_with(months))
    assert [r.reason.rule for r in result.removed] == ["counted_list/any"]
    assert result.body.splitlines() == [*STORY_BEFORE, *STORY_AFTER]


@pytest.mark.parametrize("line", KEEPS)
def test_line_inside_article_stays(line):
    result = strip(article_with(line))
    assert result.removed == []
    assert line in result.body.splitlines()


# Section markers end the story: the marker and the block under it go.
MARKERS = [
    ("en", "Related Articles"),
    ("en", "Recent Related Articles"),
    ("en", "More Cricket News"),
    ("en", "More world stories from NBC News:"),
    ("en", "Most Commented"),
    ("en", "Most Read"),
    ("en", "Most Popular"),
    ("en", "Comments (12)"),
    ("en", "{ 12 comments… read them below or add one }"),
    ("en", "11 Responses to “Bridge repairs start in spring”"),
    ("en", "Hashtags"),
    ("en", "Tags:"),
    ("en", "Recommended"),
    ("en", "More from Reuters"),
    ("en", "You may also like"),
    ("en", "Trending"),
    ("en", "Sign up for our newsletter"),
    ("en", "Recent Posts"),
    ("en", "Archives"),
    ("en", "Blogroll"),
    ("de", "Neueste Beiträge"),
    ("en", "Leave a Reply Cancel reply"),
    ("de", "Schreibe einen Kommentar Antworten abbrechen"),
    ("fr", "Articles récents"),
    ("es", "Entradas recientes"),
    ("it", "Commenti recenti"),
    ("pt", "Categorias"),
    ("nl", "Recente berichten"),
    ("pl", "Najnowsze wpisy"),
    ("ru", "Свежие записи"),
    ("de", "Mehr zum Thema"),
    ("de", "Meistgelesen"),
    ("de", "Kommentare"),
    ("de", "Das könnte Sie auch interessieren"),
    ("fr", "Articles similaires"),
    ("fr", "Les plus lus"),
    ("fr", "Commentaires"),
    ("es", "Noticias relacionadas"),
    ("es", "Lo más leído"),
    ("es", "Comentarios"),
    ("es", "Temas relacionados"),
    ("es", "Otras noticias"),
    ("es", "Las más vistas"),
    ("es", "Más sobre La Tercera"),
    ("pt", "Outras notícias"),
    ("it", "Articoli correlati"),
    ("it", "I più letti"),
    ("it", "Commenti"),
    ("pt", "Notícias relacionadas"),
    ("pt", "Mais lidas"),
    ("pt", "Comentários"),
    ("nl", "Gerelateerde artikelen"),
    ("nl", "Meest gelezen"),
    ("nl", "Reacties"),
    ("pl", "Powiązane artykuły"),
    ("pl", "Komentarze"),
    ("ru", "Читайте также"),
    ("ru", "Комментарии"),
    ("zh", "相关新闻"),
    ("zh", "评论"),
    ("ja", "関連記事"),
    ("ko", "관련기사"),
    ("zh", "热门评论"),
    ("id", "Berita Terkait"),
    ("id", "Komentar"),
    ("tr", "İlgili Haberler"),
    ("tr", "Yorumlar"),
]
TAIL_LINKS = ["Markets slide as rates rise", "Storm hits the coast", "Election results in full"]


@pytest.mark.parametrize(("language", "marker"), MARKERS)
def test_section_marker_and_block_under_it_go(language, marker):
    text = "\n".join([*STORY_BEFORE, *STORY_AFTER, marker, *TAIL_LINKS])
    result = strip(text)
    assert result.body.splitlines() == [*STORY_BEFORE, *STORY_AFTER]
    marker_removal = next(r for r in result.removed if r.text == marker)
    assert marker_removal.reason.stage == "section_marker"
    assert marker_removal.reason.rule == language


def test_marker_over_a_listing_cuts_to_the_end():
    """Headline and lede items under a marker go, even when the ledes are full sentences."""
    items = []
    for n in range(3):
        items += [
            "CNA",
            f"{n + 1} hours ago",
            f"Other story number {n} about a different topic entirely",
            f"Lede of other story {n} which is written as a complete and finished sentence here.",
        ]
    text = "\n".join([*STORY_BEFORE, *STORY_AFTER, "Related Articles", *items])
    assert strip(text).body.splitlines() == [*STORY_BEFORE, *STORY_AFTER]


def test_a_question_headline_among_the_items_is_still_a_listing():
    items = [
        "Markets slide as rates rise",
        "Shares fell across Europe on Wednesday as investors weighed the central bank's move.",
        "Will banks follow the central bank's rate cut this week?",
        "Analysts were divided over whether lenders would pass on the cut to their customers.",
        "Storm hits the coast overnight",
        "Thousands of homes lost power as the storm swept along the coast on Tuesday night.",
    ]
    text = "\n".join([*STORY_BEFORE, *STORY_AFTER, "Related Articles", *items])
    assert strip(text).body.splitlines() == [*STORY_BEFORE, *STORY_AFTER]


def test_questions_heading_most_items_are_an_faq_not_a_listing():
    faq = [
        "What does the new budget change for bus riders in the city?",
        "Two new bus lines will open next year and fares stay the same until at least 2027.",
        "When will the repairs to the old bridges begin?",
        "The first works are planned for the spring, once the contracts have been signed.",
    ]
    text = "\n".join([*STORY_BEFORE, *STORY_AFTER, "Newsletter", *faq])
    assert strip(text, Config(use_model=False)).body.splitlines() == [
        *STORY_BEFORE,
        *STORY_AFTER,
        *faq,
    ]


def test_marker_inside_article_keeps_the_article_that_resumes():
    text = "\n".join([*STORY_BEFORE, "Related Articles", *TAIL_LINKS, *STORY_AFTER])
    assert strip(text).body.splitlines() == [*STORY_BEFORE, *STORY_AFTER]


def test_menu_runs_before_and_after_the_article_go():
    menu = ["Home", "World", "Business", "Sport"]
    footer = ["About", "Contact", "Privacy"]
    result = strip("\n".join([*menu, *STORY_BEFORE, *STORY_AFTER, *footer]))
    assert result.body.splitlines() == [*STORY_BEFORE, *STORY_AFTER]
    assert {r.reason.stage for r in result.removed} == {"menu_run"}


def test_short_lines_inside_the_article_stay():
    items = ["Two eggs", "One cup of flour", "A pinch of salt"]
    text = "\n".join([*STORY_BEFORE, *items, *STORY_AFTER])
    assert strip(text).body.splitlines() == [*STORY_BEFORE, *items, *STORY_AFTER]


def test_trailing_teasers_that_stop_mid_sentence_go():
    teasers = [
        "MARKET WATCH: Shares in the region rose on Friday as investors bet that the central bank",
        "Exports of the country grew for the third month in a row as demand from abroad stayed",
    ]
    result = strip("\n".join([*STORY_BEFORE, *STORY_AFTER, *teasers]))
    assert result.body.splitlines() == [*STORY_BEFORE, *STORY_AFTER]
    assert {r.reason.stage for r in result.removed} == {"tail_teaser"}


# Lines after the story that stop mid-sentence but are no teasers.
NO_TEASERS = {
    # A code listing: its comments stop mid-sentence, but the next line goes on in lower case.
    "code listing": [
        "# keep your current changes aside and go back to the last commit of the branch you are on",
        "git stash",
        "# throw away every change you have not committed and go back to the last commit for good",
        "git reset --hard",
    ],
    # An extractor's table rows: cells that are not sentences, as many in every row.
    "table": [
        "Certificate | Certification",
        "Shows that a course of study on one subject was completed | Shows the skills of a trade",
        "Usually listed on a resume in the part on education | Gives letters after a name",
        "Needs no work experience from those who take it | Typically requires some experience",
    ],
    # A list that a sentence ending in a colon introduces: its items need no full stop.
    "introduced list": [
        "The society works towards the following aims, as its charter has set them out:",
        "To promote the welfare and the protection of all species of animals in the county,",
        "To develop programs and services that advance a philosophy of prevention first,",
        "To provide funding for education programs on the care and treatment of pets",
    ],
}


@pytest.mark.parametrize("tail", NO_TEASERS.values(), ids=NO_TEASERS.keys())
def test_lines_after_the_story_that_stop_mid_sentence_but_are_no_teasers(tail):
    assert strip("\n".join([*STORY_BEFORE, *STORY_AFTER, *tail])).removed == []


def test_one_cut_off_last_paragraph_stays_unless_it_carries_a_teaser_label():
    last = "There is still room to take part in the trial, which will help. Learn how: example.org/"
    assert strip("\n".join([*STORY_BEFORE, *STORY_AFTER, last])).removed == []
    teaser = "MARKET WATCH: Shares in the region rose on Friday as investors bet that the bank"
    result = strip("\n".join([*STORY_BEFORE, *STORY_AFTER, teaser]))
    assert [r.text for r in result.removed] == [teaser]


def test_cut_off_paragraph_inside_the_story_stays():
    cut = "The minister, speaking to reporters outside the building, declined to say whether the"
    text = "\n".join([*STORY_BEFORE, cut, *STORY_AFTER])
    assert strip(text).removed == []


def test_text_without_full_stops_is_not_cut():
    lines = [
        f"line {n} of a text written entirely without any terminal punctuation at all"
        for n in range(6)
    ]
    assert strip("\n".join(lines)).removed == []


def test_headline_becomes_title_and_date_prefix_becomes_date():
    text = "\n".join(["Council approves new city budget", *STORY_BEFORE])
    assert strip(text).title == "Council approves new city budget"
    dated = strip("date 2024-01-31 " + "\n".join(STORY_BEFORE))
    assert dated.date == "2024-01-31"
    assert dated.body.splitlines() == STORY_BEFORE


def test_sentence_first_line_is_not_a_title():
    assert strip("\n".join(STORY_BEFORE)).title is None


def test_languages_limit_the_rules():
    german_only = Stripper(Config(languages=frozenset({"de"})))
    assert german_only.strip(article_with("Publicité")).removed == []
    assert [r.text for r in german_only.strip(article_with("Anzeige")).removed] == ["Anzeige"]


THREAD = [
    "Comments (4)",
    "Jane D",
    "The council should have fixed the bridges years ago, and everyone in town knows it well.",
    "Mark",
    "Two new bus lines will not help anyone who lives outside the city centre, I am afraid.",
    "As a driver I see the old bridges every day and the repairs cannot come soon enough now.",
    "Still, the mayor promised the same thing before the last election and nothing happened.",
    "And the budget review next year will be too late for the people who commute every day.",
    "Ann",
    "I could not agree more with the point about the review coming far too late for us all.",
]


# Six more paragraphs of the story: a longer run of prose than the three before a heading.
STORY_GOES_ON = [
    f"{line[:-1]}, the clerk added in paragraph {n}." for n, line in enumerate(STORY_AFTER * 3)
]


@pytest.mark.parametrize("use_model", [False, True])
def test_comment_thread_below_the_story_goes_to_the_end(use_model):
    story = [*STORY_BEFORE, *STORY_AFTER]
    result = Stripper(Config(use_model=use_model)).strip("\n".join([*story, *THREAD]))
    assert result.body.splitlines() == story
    reasons = {r.text: r.reason for r in result.removed}
    assert reasons["Comments (4)"].stage == "section_marker"
    # A run of four prose paragraphs in one comment goes too: the listing rule alone
    # would stop there.
    assert reasons[THREAD[-1]].stage == "comment_thread"
    assert "below 'Comments (4)'" in reasons[THREAD[-1]].detail


@pytest.mark.parametrize(
    "heading",
    [
        "Have your say",
        "Reader views (5)",
        "No comments have so far been submitted.",
        "No comments yet. Be the first to comment!",
        "There are no comments yet.",
        "Be the first to comment on this article",
    ],
)
def test_more_comment_headings_open_a_thread(heading):
    text = "\n".join([*STORY_BEFORE, *STORY_AFTER, heading, *THREAD[1:]])
    result = Stripper(Config(use_model=False)).strip(text)
    assert result.body.splitlines() == [*STORY_BEFORE, *STORY_AFTER]
    assert {r.reason.stage for r in result.removed} == {"section_marker", "comment_thread"}


def test_comment_heading_above_the_story_cuts_nothing_of_it():
    # Two paragraphs above the heading are not yet the story, but a lede: keep the rest.
    lede = STORY_BEFORE
    text = "\n".join([*lede, "Comments", *STORY_AFTER, *STORY_BEFORE])
    result = Stripper(Config(use_model=False)).strip(text)
    assert result.body.splitlines() == [*lede, *STORY_AFTER, *STORY_BEFORE]


def test_comments_link_in_a_toolbar_is_passed_over_while_the_story_goes_on():
    toolbar = ["Comments", "Share", "Print", "Email"]
    text = "\n".join([*STORY_BEFORE, STORY_AFTER[0], *toolbar, *STORY_GOES_ON])
    result = Stripper(Config(use_model=False)).strip(text)
    assert result.body.splitlines() == [*STORY_BEFORE, STORY_AFTER[0], *STORY_GOES_ON]
    assert "comment_thread" not in {r.reason.stage for r in result.removed}


def test_comment_heading_inside_the_story_cuts_nothing_when_the_story_goes_on():
    text = "\n".join([*STORY_BEFORE, STORY_AFTER[0], "Comments (5)", *STORY_GOES_ON])
    result = Stripper(Config(use_model=False)).strip(text)
    assert result.body.splitlines() == [*STORY_BEFORE, STORY_AFTER[0], *STORY_GOES_ON]


def test_a_lone_comment_link_does_not_open_a_thread():
    text = "\n".join([*STORY_BEFORE, *STORY_AFTER, "Comment", *THREAD[2:4], *STORY_AFTER])
    result = Stripper(Config(use_model=False)).strip(text)
    assert "comment_thread" not in {r.reason.stage for r in result.removed}


STORY = [*STORY_BEFORE, *STORY_AFTER]
COMMENTS = [
    "lol who even asked for this",
    "good luck with that, mayor. we will see...",
    "about time!!! I drive over that bridge every day",
    "Same thing happened in my town, nothing got fixed.",
]
SIGNED_AFTER = [
    line
    for n, comment in enumerate(COMMENTS)
    for line in (comment, f"Posted by: reader{n} | Jan 1{n}, 2008 4:4{n}:12 PM")
]


def scored_page(lines: list[str], story_score: float, scores: float | list[float]) -> Document:
    """The story, then `lines`, as the model left them: its scores on each block."""
    text = "\n".join([*STORY, *lines])
    blocks, separator = segment(text)
    after = [scores] * len(lines) if isinstance(scores, float) else scores
    for block, score in zip(blocks, [story_score] * len(STORY) + after, strict=True):
        block.score = score
    return Document(text, blocks, separator)


def kept(doc: Document) -> list[str]:
    return [b.text for b in doc.live()]


def test_comments_signed_after_go_from_the_first_signature():
    doc = scored_page(SIGNED_AFTER, story_score=0.95, scores=0.6)
    assert SignedComments(Config()).apply(doc)
    # Nothing tells the first comment from the story's last paragraph: it stays.
    assert kept(doc) == [*STORY, COMMENTS[0]]
    reason = doc.blocks[-1].reason
    assert (reason.stage, reason.rule) == ("signed_comments", "signed_thread")
    assert "4 signatures like 'Posted by: reader0" in reason.detail


def test_comments_signed_before_go_whole():
    signed = [
        line
        for n, comment in enumerate(COMMENTS)
        for line in (f"BY READER{n} AT 01/0{n + 1}/08 05:3{n} PM", comment)
    ]
    doc = scored_page(signed, story_score=0.95, scores=0.6)
    assert SignedComments(Config()).apply(doc)
    assert kept(doc) == STORY


NAMED_SIGNATURES = {
    "name first": [
        f"{name} November {n + 1}, 2012 at {n + 8}:29 am"
        for n, name in enumerate(["Colm", "Jon Henshaw", "Ayan", "Egan"])
    ],
    "numbered": [
        f"{n + 1} {name} November 6, 2012 at 12:{n}7 pm"
        for n, name in enumerate(["Steve", "Website Maker Tools", "Ann", "Bob"])
    ],
}


@pytest.mark.parametrize("signatures", NAMED_SIGNATURES.values(), ids=NAMED_SIGNATURES.keys())
def test_signatures_that_start_with_the_commenters_name_are_one_shape(signatures: list[str]):
    # Their first words are all different: the date's form is what they share.
    signed = [
        line for sig, comment in zip(signatures, COMMENTS, strict=True) for line in (sig, comment)
    ]
    doc = scored_page(signed, story_score=0.95, scores=0.6)
    assert SignedComments(Config()).apply(doc)
    assert kept(doc) == STORY


def test_a_forums_date_lines_are_no_signatures():
    # A post's header of a date alone: a forum thread, whose posts are its text.
    dated = [line for n, post in enumerate(COMMENTS) for line in (f"06-2{n}-2004, 09:15 AM", post)]
    doc = scored_page(dated, story_score=0.95, scores=0.6)
    assert not SignedComments(Config()).apply(doc)


def test_timed_entries_the_model_takes_for_story_stay():
    # A live blog signs its entries with the time too, but they read as the story.
    doc = scored_page(SIGNED_AFTER, story_score=0.95, scores=0.9)
    assert not SignedComments(Config()).apply(doc)


def test_one_post_quoted_over_and_over_is_no_thread():
    quoted = [line for comment in COMMENTS for line in ("ann wrote: Sat Feb 24, 12:41 pm", comment)]
    doc = scored_page(quoted, story_score=0.95, scores=0.6)
    assert not SignedComments(Config()).apply(doc)


def test_signed_comments_need_the_model():
    result = Stripper(Config(use_model=False)).strip("\n".join([*STORY, *SIGNED_AFTER]))
    assert "signed_comments" not in {r.reason.stage for r in result.removed}
    assert COMMENTS[-1] in result.body.splitlines()


RELATED_TAIL = [
    "Related Articles",
    "Is the old bridge safe?",
    "Engineers have raised doubts about the state of the old bridge for many years now.",
    "Bus fares to rise in spring",
    "The transport authority said fares will go up by five percent from next April on.",
]


def below_the_markers(doc: Document) -> Document:
    """The page once SectionMarkers has cut its markers and the short lines under them."""
    SectionMarkers(load_rules(None), Config()).apply(doc)
    return doc


def test_what_the_model_doubts_below_a_marker_goes_to_the_end():
    doc = below_the_markers(scored_page(RELATED_TAIL, story_score=0.95, scores=0.45))
    # SectionMarkers alone stops at the first lede: the article might resume there.
    assert RELATED_TAIL[2] in kept(doc)
    assert MarkedTail(Config()).apply(doc)
    assert kept(doc) == STORY
    reason = doc.blocks[-1].reason
    assert (reason.stage, reason.rule) == ("marked_tail", "doubted_below_marker")
    assert "below 'Related Articles'" in reason.detail


def test_the_story_resuming_below_a_marker_stays():
    lines = [*RELATED_TAIL, *STORY_GOES_ON[:2]]
    scores = [0.45] * len(RELATED_TAIL) + [0.95, 0.95]
    doc = below_the_markers(scored_page(lines, story_score=0.95, scores=scores))
    assert not MarkedTail(Config()).apply(doc)
    assert kept(doc)[-2:] == STORY_GOES_ON[:2]


def test_a_tail_the_model_takes_for_story_stays():
    doc = below_the_markers(scored_page(RELATED_TAIL, story_score=0.95, scores=0.9))
    assert not MarkedTail(Config()).apply(doc)


def below_the_inline_chrome(doc: Document) -> Document:
    """The page once InlineChrome has cut its single lines (the copyright notice)."""
    InlineChrome(load_rules(None)).apply(doc)
    return doc


COPYRIGHT_TAIL = ["© 2008 Example News Agency", "Old bridge fails inspection", *RELATED_TAIL[2:]]


@pytest.mark.parametrize("score", [0.6, 0.9])
def test_headline_and_lede_items_below_a_copyright_line_go(score):
    # The copyright line closed the story and a listing follows it: evidence enough,
    # even where the model takes the ledes for story.
    doc = below_the_inline_chrome(scored_page(COPYRIGHT_TAIL, story_score=0.95, scores=score))
    assert MarkedTail(Config()).apply(doc)
    assert kept(doc) == STORY
    reason = doc.blocks[-1].reason
    assert (reason.stage, reason.rule) == ("marked_tail", "listing_below_copyright")


def test_prose_below_a_copyright_line_that_is_no_listing_stays():
    # A manual's copyright section, an author's note: a paragraph right below the notice.
    lines = ["Copyright 2005 Jane Doe", *COPYRIGHT_TAIL[2:]]
    doc = below_the_inline_chrome(scored_page(lines, story_score=0.95, scores=0.6))
    assert not MarkedTail(Config()).apply(doc)
    assert kept(doc)[-3:] == lines[1:]


def test_short_lines_below_a_copyright_line_longer_than_the_story_stay():
    # A manual's sections go on after its copyright notice, wrapped in short lines.
    wrapped = [f"option {n} changes how the search" for n in range(20)]
    doc = below_the_inline_chrome(scored_page(["Copyright 2005", *wrapped], 0.95, scores=0.6))
    assert not MarkedTail(Config()).apply(doc)


@pytest.mark.parametrize(
    ("source", "starts"),
    [
        ("(facebook|twitter) share", frozenset("ft")),
        ("Photo:? [a-z]+", frozenset("p")),
        ("(©|\\(c\\)|copyright) \\d{4}", frozenset("(c")),  # © matches no ASCII letter
        ("[-–—]\\s*AP", frozenset("-")),
        ("\\d{1,2} min read", frozenset("0123456789")),
        ("\u212a\\w+", frozenset("k")),  # the Kelvin sign matches k under IGNORECASE
        ("\\s*more", frozenset("m" + "".join(c for c in map(chr, range(128)) if c.isspace()))),
        ("[^.!?]{0,100}all rights reserved", None),
        ("[a-zé]+:", frozenset(string.ascii_lowercase)),
        ("[a-я]+:", None),  # a range past ASCII
        ("(read )?more", frozenset("rm")),
        ("x?", None),  # may match nothing at all
    ],
)
def test_pattern_sets_know_where_a_pattern_can_start(source, starts):
    assert _first_characters(_parsed(re.compile(source, re.IGNORECASE))) == starts


@pytest.mark.parametrize(
    ("source", "needed"),
    [
        ("[^.!?]{0,100}\\ball rights reserved\\.?", "all rights reserved"),
        ("[^.!?]{0,100}\\btous droits réservés", "tous droits r"),
        ("[^.]{0,9}(share|tweet)", None),
        ("[^.]*abc", None),  # too short to be worth a look
        # Scripts without case: two characters tell as much as four ASCII ones.
        ("[^。！？]{0,100}版权所有[^。！？]{0,60}", "版权所有"),
        ("[^。]{0,100}無断(転載|複製)", "無断"),
        ("[^.]{0,9}금", None),
        ("[^.!?]{0,100}\\bвсе права защищены", None),  # Cyrillic has case: not plain
    ],
)
def test_pattern_sets_know_what_text_a_pattern_needs(source, needed):
    assert _required_text(_parsed(re.compile(source, re.IGNORECASE))) == needed


def test_the_ascii_lookalikes_are_all_there_are():
    letter = re.compile("[a-z]", re.IGNORECASE)
    found = {c for c in map(chr, range(128, 0x110000)) if letter.fullmatch(c)}
    assert found == set(ASCII_LOOKALIKES)


# ASCII with lookalikes, and the characters of rules that need text without case.
LINE_CHARACTERS = "aAbcCfFpPsStTwWxX ©:|.0123456789éı\n" + "無断版权所有금지"
LINES = st.text(alphabet=st.sampled_from(LINE_CHARACTERS), max_size=40)
CHROME_LINES = [line for _, _, line in INLINE_DROPS] + [
    "© 2024 The Daily Planet. All rights reserved."
]


@settings(deadline=None)  # the first example compiles the rules
@given(st.one_of(LINES, st.sampled_from(CHROME_LINES)))
def test_pattern_sets_match_a_line_as_trying_each_pattern_in_turn_would(line):
    rules = load_rules()
    for patterns in (rules.inline_chrome, rules.long_lines, rules.section_markers):
        in_turn = next((p for p in patterns.patterns if p.regex.fullmatch(line)), None)
        assert patterns.match(line) is in_turn
