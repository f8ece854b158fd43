from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotate.models import Citation, Claim, ConfidenceNote, Likelihood
from annotate.tests.browser.conftest import log_in
from annotate.tests.browser.workspace_steps import csrf_token, drag_select
from annotate.tests.factories import TEST_PASSWORD, make_claim, make_note
from articles.report_format import parse_report
from articles.services import article_import

pytestmark = pytest.mark.django_db(transaction=True)

PHRASE = "specifically targeted the negotiation team"


def open_workspace(page, article, user) -> None:
    page.goto(f"/articles/{article.slug}/")
    log_in(page, user.username, TEST_PASSWORD)
    expect(page.locator("#report")).to_be_visible()


def add_claim_from_selection(page, statement: str) -> None:
    page.get_by_role("button", name="Add claim").click()
    form = page.locator("#panel form")
    expect(page.get_by_role("heading", name="New claim")).to_be_visible()
    form.get_by_label("Statement").fill(statement)
    form.get_by_label("Kind").select_option("attribution")
    form.get_by_label("Attributed to").fill("A Hamas source")
    form.get_by_role("button", name="Save claim").click()
    expect(page.locator("#panel .statement")).to_have_text(statement)


def test_a_reviewer_annotates_by_mouse(page, seed_article, reviewer):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    open_workspace(page, seed_article, reviewer)

    drag_select(page, "p6", PHRASE)
    expect(page.get_by_role("button", name="Add claim")).to_be_visible()
    add_claim_from_selection(page, "The strike targeted the negotiators")

    expect(page.locator("#p6 mark.hl")).to_have_text(PHRASE)
    expect(page.locator("#counters")).to_contain_text("1 claim")

    panel = page.locator("#panel")
    panel.get_by_text("Cite a source").click()
    panel.get_by_text("Or record a new source").click()
    panel.get_by_label("URL").fill("https://www.aljazeera.com/news/live")
    panel.get_by_label("Title").fill("Israel attacks Hamas leaders in Doha")
    panel.get_by_label("Publisher").fill("Al Jazeera")
    panel.get_by_label("Excerpt").fill("The strike specifically targeted the negotiation team.")
    panel.get_by_label("Supports").check()
    panel.get_by_label("Source reliability").select_option("B")
    panel.get_by_label("Information credibility").select_option("2")
    panel.get_by_role("button", name="Add citation").click()
    expect(
        panel.get_by_role("link", name="Israel attacks Hamas leaders in Doha", exact=True)
    ).to_be_visible()

    panel.get_by_role("radio", name="Likely (55–80%)", exact=True).check()
    panel.get_by_role("radio", name="High", exact=True).check()
    panel.get_by_label("Why (my rationale)").fill("One source, but a well-placed one.")
    panel.get_by_role("button", name="Save my note").click()
    expect(panel.get_by_role("button", name="Update my note")).to_be_visible()

    page.reload()
    expect(page.locator("#panel .statement")).to_have_text("The strike targeted the negotiators")
    expect(
        page.get_by_role("link", name="Israel attacks Hamas leaders in Doha", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("radio", name="Likely (55–80%)", exact=True)).to_be_checked()
    expect(page.get_by_role("radio", name="High", exact=True)).to_be_checked()
    expect(page.locator("#p6 mark.hl")).to_have_text(PHRASE)

    claim = Claim.objects.select_related("span").get()
    start = paragraph.text.index(PHRASE)
    assert (claim.span.quote, claim.span.start, claim.span.end) == (
        PHRASE,
        start,
        start + len(PHRASE),
    )
    assert (claim.kind, claim.attributed_to) == ("attribution", "A Hamas source")
    assert Citation.objects.get().source.publisher == "Al Jazeera"
    assert Citation.objects.get().credibility == 2
    assert ConfidenceNote.objects.get().likelihood == Likelihood.LIKELY


EMOJI_REPORT = """---
title: Emoji report
slug: emoji-report
date: 2025-09-10
language: en
---
A first paragraph without anything unusual.

Fans 🇶🇦 waved flags 🎉🎉 as the delegates 🙂 left the talks in Doha on Tuesday.

A last paragraph.
""".encode()


def test_a_selection_after_and_around_emoji_is_counted_in_code_points(page, reviewer):
    article = article_import(report=parse_report(EMOJI_REPORT))
    paragraph = article.revisions.get().paragraphs.get(position=2)
    phrase = "flags 🎉🎉 as the delegates 🙂 left"
    open_workspace(page, article, reviewer)

    drag_select(page, "p2", phrase)
    add_claim_from_selection(page, "Fans cheered the delegates")

    expect(page.locator("#p2 mark.hl")).to_have_text(phrase)
    span = Claim.objects.select_related("span").get().span
    start = paragraph.text.index(phrase)
    assert (span.quote, span.start, span.end) == (phrase, start, start + len(phrase))
    assert span.end - span.start == len(phrase) == 32  # code points, not UTF-16 units


def test_a_selection_across_paragraphs_is_refused(page, seed_article, reviewer):
    open_workspace(page, seed_article, reviewer)
    page.locator("#p2").scroll_into_view_if_needed()
    first = page.locator("#p2").bounding_box()
    second = page.locator("#p3").bounding_box()
    page.mouse.move(first["x"] + 40, first["y"] + 10)
    page.mouse.down()
    page.mouse.move(second["x"] + 80, second["y"] + 10, steps=6)
    page.mouse.up()

    expect(page.locator("#selection-message")).to_have_text(
        "Select text within one paragraph to add a claim."
    )
    expect(page.get_by_role("button", name="Add claim")).to_be_hidden()


def test_a_conflicting_note_turns_the_highlight_disputed(
    page, seed_article, reviewer, other_reviewer
):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    claim = make_claim(paragraph=paragraph, quote=PHRASE, user=reviewer)
    make_note(claim=claim, likelihood=Likelihood.VERY_LIKELY, user=reviewer)
    open_workspace(page, seed_article, other_reviewer)
    highlight = page.locator("#p6 mark.hl")
    expect(highlight).to_have_class(re.compile(r"\bhl-open\b"))

    highlight.click()
    panel = page.locator("#panel")
    panel.get_by_role("radio", name="Unlikely (20–45%)", exact=True).check()
    panel.get_by_role("radio", name="Moderate", exact=True).check()
    panel.get_by_role("button", name="Save my note").click()

    expect(highlight).to_have_class(re.compile(r"\bhl-disputed\b"))
    expect(panel.get_by_text("Reviewers disagree")).to_be_visible()
    expect(page.locator("#counters")).to_contain_text("1 disputed")


def test_another_reviewer_has_no_edit_controls_and_a_forged_post_is_refused(
    page, seed_article, reviewer, other_reviewer
):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    claim = make_claim(paragraph=paragraph, quote=PHRASE, user=reviewer)
    open_workspace(page, seed_article, other_reviewer)

    page.locator("#p6 mark.hl").click()
    expect(page.locator("#panel .statement")).to_have_text(PHRASE)
    expect(page.get_by_role("link", name="Edit claim")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete claim")).to_have_count(0)
    expect(page.get_by_role("button", name="Save verdict")).to_have_count(0)

    forged = page.request.post(
        f"/articles/{seed_article.slug}/claims/{claim.pk}/edit/",
        form={"statement": "Hijacked", "kind": "factual", "attributed_to": ""},
        headers={"X-CSRFToken": csrf_token(page)},
    )
    assert forged.status == 403
    claim.refresh_from_db()
    assert claim.statement == PHRASE


def test_a_statement_of_markup_shows_as_text(page, seed_article, reviewer):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    markup = "<img src=x onerror=alert(1)>"
    open_workspace(page, seed_article, reviewer)

    drag_select(page, "p6", PHRASE)
    add_claim_from_selection(page, markup)
    page.reload()

    expect(page.locator("#panel .statement")).to_have_text(markup)
    expect(page.locator("#panel img, #main img")).to_have_count(0)
    page.get_by_role("link", name="Close panel").click()
    expect(page.locator(".claim-list")).to_contain_text(markup)
    assert dialogs == []


def test_keyboard_only_select_add_and_save(page, seed_article, reviewer):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    open_workspace(page, seed_article, reviewer)

    for _ in range(40):  # Tab through the header and the filter bar to the sixth paragraph
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "p6":
            break
    assert page.evaluate("document.activeElement.id") == "p6"
    for _ in range(4):  # "The attack comes just |as Hamas"
        page.keyboard.press("Control+ArrowRight")
    for _ in range(3):
        page.keyboard.press("Control+Shift+ArrowRight")
    expect(page.get_by_role("button", name="Add claim")).to_be_visible()

    page.keyboard.press("a")
    statement = page.get_by_label("Statement")
    expect(statement).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("Hamas officials were meeting in Doha")
    page.keyboard.press("Tab")  # Kind
    page.keyboard.press("Tab")  # Attributed to
    page.keyboard.type("Mondoweiss")
    page.keyboard.press("Enter")

    expect(page.locator("#panel .statement")).to_have_text("Hamas officials were meeting in Doha")
    span = Claim.objects.select_related("span").get().span
    assert span.quote == "as Hamas officials"
    assert paragraph.text[span.start : span.end] == span.quote


def test_j_k_enter_and_escape_move_through_claims(page, seed_article, reviewer):
    revision = seed_article.revisions.get()
    make_claim(paragraph=revision.paragraphs.get(position=2), quote="Israel struck", user=reviewer)
    make_claim(paragraph=revision.paragraphs.get(position=6), quote=PHRASE, user=reviewer)
    open_workspace(page, seed_article, reviewer)

    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator("#p6 mark.hl")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#panel .statement")).to_have_text(PHRASE)
    expect(page.locator("#panel-title")).to_be_focused()

    page.keyboard.press("Escape")
    expect(page.locator(".claim-list")).to_be_visible()
    expect(page.locator("#p6 mark.hl")).to_be_focused()

    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()


def test_filters_dim_highlights_and_live_in_the_url(page, seed_article, reviewer):
    revision = seed_article.revisions.get()
    make_claim(paragraph=revision.paragraphs.get(position=2), quote="Israel struck", user=reviewer)
    make_claim(
        paragraph=revision.paragraphs.get(position=6), quote=PHRASE, user=reviewer, kind="opinion"
    )
    open_workspace(page, seed_article, reviewer)

    page.get_by_label("Kind").select_option("opinion")

    expect(page).to_have_url(re.compile(r"kind=opinion"))
    expect(page.locator("#p2 mark.hl")).to_have_class(re.compile(r"\bdimmed\b"))
    expect(page.locator("#p6 mark.hl")).not_to_have_class(re.compile(r"\bdimmed\b"))

    page.go_back()
    expect(page.locator("#p2 mark.hl")).not_to_have_class(re.compile(r"\bdimmed\b"))
    expect(page.get_by_label("Kind")).to_have_value("")


def test_reading_works_with_javascript_off(browser, live_server, seed_article, reviewer):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    make_claim(paragraph=paragraph, quote=PHRASE, user=reviewer, statement="Negotiators targeted")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    open_workspace(page, seed_article, reviewer)

    expect(page.locator("#p6 mark.hl")).to_have_text(PHRASE)
    page.get_by_role("link", name=re.compile("Negotiators targeted")).click()
    expect(page.locator("#panel .statement")).to_have_text("Negotiators targeted")

    page.get_by_label("Kind").select_option("opinion")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"kind=opinion"))
    expect(page.locator("#p6 mark.hl")).to_have_class(re.compile(r"\bdimmed\b"))
    context.close()
