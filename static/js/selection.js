// The workspace's one script: turn a text selection into "Add claim", and the keyboard.
//
// Offsets: the server counts Unicode code points into Paragraph.text; the DOM counts
// UTF-16 code units (an emoji is two). We measure the selection in UTF-16 against the
// paragraph's textContent (the highlight count badges are CSS, not text), trim
// whitespace, then convert both ends to code points. The server re-checks the quote.

const report = () => document.getElementById("report");
const addForm = () => document.getElementById("add-claim");
const message = () => document.getElementById("selection-message");
const panel = () => document.getElementById("panel");
// The highlight the panel was opened from, by place (paragraph and index): swaps
// replace the elements, so an element reference would go stale.
let lastHighlight = null;
// The header that marks a live update's refresh of the open claim (see the end of this
// file): each swap then knows whether it is that refresh, rather than a flag that another
// request's swap, landing first, could take for its own.
const LIVE_REFRESH = "X-Claimdesk-Live-Refresh";
const isLiveRefresh = (detail) =>
  Boolean(detail.requestConfig && detail.requestConfig.headers && detail.requestConfig.headers[LIVE_REFRESH]);

function remember(mark) {
  const paragraph = mark.closest("p.paragraph");
  const index = Array.from(paragraph.querySelectorAll("mark.hl")).indexOf(mark);
  lastHighlight = { paragraph: paragraph.id, index };
}

function paragraphOf(node) {
  const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
  return element ? element.closest("#report p.paragraph") : null;
}

function utf16Offset(paragraph, container, offset) {
  const before = document.createRange();
  before.selectNodeContents(paragraph);
  before.setEnd(container, offset);
  return before.toString().length;
}

function codePoints(text, utf16) {
  return Array.from(text.slice(0, utf16)).length;
}

// What is selected, as the server wants it; null when nothing usable is selected.
export function currentSelection() {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const first = paragraphOf(range.startContainer);
  const last = paragraphOf(range.endContainer);
  if (!first && !last) return null;
  if (first !== last) return { error: "Select text within one paragraph to add a claim." };
  const text = first.textContent;
  let start = utf16Offset(first, range.startContainer, range.startOffset);
  let end = utf16Offset(first, range.endContainer, range.endOffset);
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (start === end) return null;
  return {
    paragraph: first,
    start: codePoints(text, start),
    end: codePoints(text, end),
    quote: text.slice(start, end),
    rect: range.getBoundingClientRect(),
  };
}

function place(element, rect) {
  element.style.top = `${rect.bottom + window.scrollY + 8}px`;
  const left = Math.min(rect.left, document.documentElement.clientWidth - 220);
  element.style.left = `${Math.max(8, left) + window.scrollX}px`;
}

function update() {
  const form = addForm();
  if (!form) return;
  const picked = currentSelection();
  const note = message();
  if (!picked || picked.error) {
    if (document.activeElement !== form.querySelector("button")) form.hidden = true;
    note.hidden = !picked;
    if (picked) {
      note.textContent = picked.error;
      const range = window.getSelection().getRangeAt(0);
      place(note, range.getBoundingClientRect());
    }
    return;
  }
  note.hidden = true;
  form.elements.paragraph.value = picked.paragraph.dataset.paragraphId;
  form.elements.start.value = picked.start;
  form.elements.end.value = picked.end;
  form.elements.quote.value = picked.quote;
  form.hidden = false;
  place(form, picked.rect);
}

// Shown as the selection changes, not a frame later: the form is placed by the selection's
// rectangle, which costs no more than the frame would.
document.addEventListener("selectionchange", update);

// selectionchange is a task of its own: a quick "a" or click must not send the previous
// selection, so fill the form now too (capture phase, before htmx handles the submit).
document.addEventListener(
  "submit",
  (event) => {
    if (event.target.id === "add-claim") update();
  },
  true,
);

// A lead re-attaches an orphan (the Orphans list) to the text selected in the report:
// the same selection as a new claim's, sent with the orphan's form.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target.closest && event.target.closest("form.reattach");
    if (!form) return;
    const picked = currentSelection();
    if (!picked || picked.error) {
      event.preventDefault();
      const flash = document.getElementById("flash");
      flash.textContent = picked ? picked.error : "Select the text in the report first.";
      flash.hidden = false;
      return;
    }
    form.elements.paragraph.value = picked.paragraph.dataset.paragraphId;
    form.elements.start.value = picked.start;
    form.elements.end.value = picked.end;
    form.elements.quote.value = picked.quote;
  },
  true,
);

// Keep the selection when the button is pressed with the mouse.
document.addEventListener("mousedown", (event) => {
  if (event.target.closest("#add-claim button, form.reattach button")) event.preventDefault();
});

// A highlight's claim, or for a place several claims share the chooser, as the server's
// URLs have them (annotate/urls.py `claim`, `claims_here`), with the filters kept.
function highlightUrl(mark) {
  const report = mark.closest("#report");
  const query = report.dataset.query ? `?${report.dataset.query}` : "";
  if (mark.dataset.claim) return `${report.dataset.base}claims/${mark.dataset.claim}/${query}`;
  const position = mark.closest("p.paragraph").dataset.position;
  return `${report.dataset.base}at/${position}/${mark.dataset.start}/${query}`;
}

// Marks carry no htmx attributes until opened (thousands of them would each be processed
// at start-up): the first opening gives the mark its request, inheriting the report's
// target and history push as before.
function openHighlight(mark) {
  remember(mark);
  if (!mark.hasAttribute("hx-get")) {
    mark.setAttribute("hx-get", highlightUrl(mark));
    mark.setAttribute("hx-trigger", "open");
    window.htmx.process(mark);
  }
  window.htmx.trigger(mark, "open");
}

document.addEventListener("click", (event) => {
  const mark = event.target.closest("#report mark.hl");
  if (!mark) return;
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed) return; // the end of a drag, not a click
  openHighlight(mark);
});

function highlights() {
  return Array.from(document.querySelectorAll("#report mark.hl[data-head]:not(.dimmed)"));
}

function step(direction) {
  const marks = highlights();
  if (marks.length === 0) return;
  const current = marks.indexOf(document.activeElement);
  let next;
  if (current === -1) {
    next = direction > 0 ? 0 : marks.length - 1;
  } else {
    next = Math.min(marks.length - 1, Math.max(0, current + direction));
  }
  marks[next].focus({ preventScroll: true });
  marks[next].scrollIntoView({ block: "center", behavior: "smooth" });
  remember(marks[next]);
}

// Closing the panel re-renders the reading area; come back to the same highlight.
let returnTo = null;

function closePanel() {
  const close = panel() && panel().querySelector(".close");
  if (!close) return;
  returnTo = lastHighlight;
  document.activeElement.blur();
  close.click();
}

function restoreFocus() {
  if (!returnTo) return false;
  const paragraph = document.getElementById(returnTo.paragraph);
  const mark = paragraph && paragraph.querySelectorAll("mark.hl")[returnTo.index];
  returnTo = null;
  if (!mark) return false;
  mark.focus();
  return true;
}

// Caret and selection inside a focused paragraph: arrows move, Shift extends,
// Ctrl (or Alt on a Mac) goes by word. The text is not editable, so we drive it.
function moveCaret(event, paragraph) {
  const selection = window.getSelection();
  if (!paragraph.contains(selection.anchorNode)) {
    selection.collapse(paragraph, 0);
  }
  const direction = event.key === "ArrowRight" ? "forward" : "backward";
  const unit = event.ctrlKey || event.altKey ? "word" : "character";
  selection.modify(event.shiftKey ? "extend" : "move", direction, unit);
  event.preventDefault();
}

function typing(target) {
  return target.closest("input, textarea, select, [contenteditable], dialog");
}

document.addEventListener("keydown", (event) => {
  const paragraph = event.target.closest && event.target.closest("#report p.paragraph");
  if (paragraph && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
    moveCaret(event, paragraph);
    return;
  }
  if (event.key === "Escape") {
    if (document.querySelector("dialog[open]")) return;
    if (typing(event.target)) {
      event.target.blur(); // a first Esc leaves the field; what was typed stays
      return;
    }
    closePanel();
    return;
  }
  if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
  const mark = event.target.closest && event.target.closest("#report mark.hl");
  if (event.key === "Enter" && mark) {
    event.preventDefault();
    openHighlight(mark);
  } else if (event.key === "j") {
    step(1);
  } else if (event.key === "k") {
    step(-1);
  } else if (event.key === "a") {
    update();
    const form = addForm();
    if (form && !form.hidden) {
      event.preventDefault();
      form.requestSubmit();
    }
  } else if (event.key === "?") {
    document.getElementById("shortcuts").showModal();
  }
});

// Focus where the user's next step is: an invalid field, the claim form's statement,
// the first field of a citation being edited, the heading of the section just saved, or the panel's heading. After settling, so
// that htmx's own focus keeping comes first.
document.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail.target;
  if (!target || (target.id !== "panel" && target.id !== "reading")) return;
  if (target.id === "panel" && isLiveRefresh(event.detail)) {
    return; // a live refresh: the reader's focus stays where it was
  }
  const area = panel();
  area.classList.toggle("panel-open", !area.querySelector(".claim-list-panel"));
  if (restoreFocus()) return;
  const invalid = area.querySelector(".invalid input, .invalid textarea, .invalid select");
  const statement = area.querySelector(".claim-form textarea, .edit-claim textarea");
  const editing = area.querySelector(
    "li.source .source-form :is(input:not([type=hidden]), textarea, select)",
  );
  const focus =
    invalid || statement || editing || savedSection(event.detail) || area.querySelector("#panel-title");
  if (focus && target.id === "panel") focus.focus();
  if (area.querySelector(".claim") && !area.querySelector(".notice")) {
    window.getSelection().removeAllRanges();
  }
  update();
});

function savedSection(detail) {
  const source = detail.requestConfig && detail.requestConfig.elt;
  if (!source || detail.requestConfig.verb !== "post") return null;
  const section = source.closest("section.block");
  const heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
  return heading && panel().contains(heading) ? heading : null;
}

// A refused request (403, 404, 500) says so instead of failing silently.
document.addEventListener("htmx:responseError", (event) => {
  const flash = document.getElementById("flash");
  const status = event.detail.xhr.status;
  flash.textContent =
    status === 403
      ? "You may not make this change."
      : `The server could not do that (error ${status}). Reload the page and try again.`;
  flash.hidden = false;
  setTimeout(() => {
    flash.hidden = true;
  }, 6000);
});

// Live updates (annotate/views/live.py): after a poll brought others' changes, refresh
// the open claim too, unless the reader is working in it: focus in one of its forms, a
// form that differs from what it was rendered with, or an open section leaves it alone.
function dirty(form) {
  return Array.from(form.elements).some((field) => {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      return Array.from(field.options).some((o) => o.selected !== o.defaultSelected);
    }
    return "defaultValue" in field && field.value !== field.defaultValue;
  });
}

document.addEventListener("htmx:afterRequest", (event) => {
  // By path: the poller has been swapped for its successor by the time this runs.
  const path = event.detail.pathInfo && event.detail.pathInfo.requestPath;
  const live = document.querySelector(".workspace").dataset.liveUrl;
  if (!path || !path.startsWith(live) || event.detail.xhr.status !== 200) return;
  const claim = panel().querySelector("section.claim[data-claim-id]");
  if (!claim || readerIsWorking()) return;
  // The claim's URL with the filters and revision the page shows (rendered by the server).
  window.htmx.ajax("GET", claim.dataset.url, {
    target: "#panel",
    swap: "innerHTML",
    headers: { [LIVE_REFRESH]: "1" },
  });
});

// Asked again when the refresh arrives: meanwhile the reader may have started working in
// the panel, or a refused form (its error beside the field) may have replaced it.
// And only onto the claim it was asked for: a reader who opened another claim meanwhile
// (a link, a highlight) must not be taken back when the refresh answers after it.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (!isLiveRefresh(event.detail)) return;
  const claim = panel().querySelector("section.claim[data-claim-id]");
  const stillThere = claim && claim.dataset.url === event.detail.requestConfig.path;
  if (!stillThere || readerIsWorking()) event.detail.shouldSwap = false;
});

function readerIsWorking() {
  const area = panel();
  const active = document.activeElement;
  return Boolean(
    (area.contains(active) && active.closest("form")) ||
      Array.from(area.querySelectorAll("form")).some(dirty) ||
      area.querySelector("details[open]") || // an open "Add a source" or history
      area.querySelector(".invalid"), // a refused form, its error shown
  );
}

// Enter in the citation form's source search searches (htmx, as typed); it must not
// submit the half-filled citation.
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.matches?.(".source-search input")) {
    event.preventDefault();
  }
});

// Linking claims (the panel's "Link to another claim"): without scripts the other claim is
// found by search; with them, "Pick it in the text" makes the next click on a highlight
// choose its claim instead of opening it.
// Whether the next highlight picked chooses the link's other claim. The picker itself is
// looked up when a highlight is picked: opening the form loads the list of claims, which
// replaces the <select>, so a reference kept from the button's click could go stale.
let picking = false;
const linkPicker = () => panel().querySelector("details.add-link select[name=to_claim]");

function showPickButtons() {
  for (const button of document.querySelectorAll("button.pick-in-text")) button.hidden = false;
}
showPickButtons(); // a module runs once the page is parsed
document.addEventListener("htmx:afterSettle", showPickButtons);

function say(message) {
  const flash = document.getElementById("flash");
  flash.textContent = message;
  flash.hidden = false;
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button.pick-in-text");
  if (!button) return;
  picking = true;
  say("Click the other claim's highlight in the report (or go to it with j / k and press Enter).");
});

// The highlight clicked, or focused (j / k) and entered, picks its claim for the link.
function pick(event) {
  const mark = picking && event.target.closest && event.target.closest("#report mark.hl");
  if (!mark) return;
  event.stopPropagation(); // not opened: picked
  event.preventDefault();
  const select = linkPicker();
  picking = false;
  const id = mark.dataset.claim;
  if (!select) {
    say("The link form has closed: open \u201cLink to another claim\u201d again.");
    return;
  }
  if (!id) {
    say("Several claims share this text: find the one to link by searching instead.");
    return;
  }
  if (!Array.from(select.options).some((option) => option.value === id)) {
    select.add(new Option(mark.textContent, id));
  }
  select.value = id;
  document.getElementById("flash").hidden = true;
  select.focus();
}

document.addEventListener("click", pick, true);
document.addEventListener(
  "keydown",
  (event) => {
    if (event.key === "Enter") pick(event);
  },
  true,
);
