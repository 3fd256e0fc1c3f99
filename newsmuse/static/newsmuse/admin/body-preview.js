/*
 * The feature form's live preview: as the editor types the body, it is shown beside the
 * text (under it on narrow screens) as readers will see it, each paragraph attributed to
 * its speaker, at phone or desktop width. A paragraph whose speaker is not a participant
 * is marked right there and listed under the text. Buttons with the participants' names
 * insert “Name: ” where the cursor is, and a name that speaks but is nobody on the form
 * yet can be added as a participant from there. The server renders the preview with the
 * site's own templates (features.admin_views.body_preview); nothing is saved. Without
 * JavaScript the body is a plain text box, checked when the form is saved.
 */
(function () {
  "use strict";

  const { element } = window.newsmuseAdmin;

  const QUIET_MS = 400;
  const WIDTHS = [
    ["Phone", "375px"],
    ["Desktop", "100%"],
  ];

  /* The participants on the form now: chosen person, role, not marked for deletion. */
  function participants(form) {
    const casts = [];
    for (const select of form.querySelectorAll("select[name^='participants-'][name$='-person']")) {
      if (select.name.includes("__prefix__") || !select.value) continue;
      const prefix = select.name.slice(0, -"person".length);
      const remove = form.elements[prefix + "DELETE"];
      if (remove && remove.checked) continue;
      const role = form.elements[prefix + "role"];
      const option = select.selectedOptions[0];
      casts.push({
        person: Number(select.value),
        role: role ? role.value : "",
        name: option ? option.text : "",
      });
    }
    return casts;
  }

  /* A participants row whose person is still to be chosen: an empty one on the form, or
     a new one added as “Add another Participant” would. */
  function emptyParticipantRow(form) {
    const unchosen = (select) =>
      !select.name.includes("__prefix__") && !select.value && !select.disabled;
    const selects = () => form.querySelectorAll("select[name^='participants-'][name$='-person']");
    let select = Array.from(selects()).find(unchosen);
    if (!select) {
      const addRow = form.querySelector("#participants-group .add-row a");
      if (addRow) addRow.click();
      select = Array.from(selects()).find(unchosen);
    }
    return select || null;
  }

  /* Offers to add each name that speaks in the body but is nobody on the form yet: the
     button opens the new person's short form in a participants row, role buttons and all,
     or chooses the person from the people list the name is. The list is built again only
     when what it offers changes, so a button being reached with the keyboard stays. */
  function showNewcomers(list, form, newcomers) {
    const offerToAdd = window.newsmuseAdmin.offerToAdd;
    const offered = JSON.stringify(newcomers);
    if (!offerToAdd || list.dataset.offered === offered) return;
    list.dataset.offered = offered;
    list.replaceChildren();
    for (const { name, lines, person } of newcomers) {
      const shown = lines.slice(0, 6).join(", ") + (lines.length > 6 ? " and more" : "");
      const where = lines.length === 1 ? `line ${lines[0]}` : `lines ${shown}`;
      const said = person
        ? `“${name}” on ${where} is ${person.name} from the people list, not a participant yet.`
        : `“${name}” speaks on ${where} but is not a participant yet (if that is not speech, start the paragraph with \\).`;
      const item = element("li", {}, said);
      const label = `Add ${person ? person.name : name} as a participant`;
      const button = element("button", { type: "button", class: "button" }, label);
      button.addEventListener("click", () => {
        if (offerToAdd(null, name)) return;
        if (!offerToAdd(emptyParticipantRow(form), name, person) && !item.querySelector(".body-editor__no-row")) {
          item.append(element("span", { class: "body-editor__no-row" }, "No participants row could be added: add one under Participants."));
        }
      });
      item.append(" ", button);
      list.append(item);
    }
  }

  function insertName(textarea, name) {
    const start = textarea.selectionStart;
    const before = textarea.value.slice(0, start);
    const atParagraphStart = before === "" || before.endsWith("\n\n");
    const prefix = atParagraphStart ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    textarea.setRangeText(prefix + name + ": ", start, textarea.selectionEnd, "end");
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function start() {
    const config = document.getElementById("body-preview-config");
    const textarea = document.getElementById("id_body_source");
    if (!config || !textarea) return;
    const form = textarea.form;
    const row = textarea.closest(".form-row") || textarea.parentElement;
    row.classList.add("body-editor");

    const names = element("div", { class: "body-editor__names", role: "group", "aria-label": "Insert a speaker" });
    const problems = element("ul", { class: "body-editor__problems", "aria-live": "polite" });
    const offers = element("ul", { class: "body-editor__newcomers", "aria-label": "Speakers to add", "aria-live": "polite" });
    const text = element("div", { class: "body-editor__text" });
    textarea.before(text);
    text.append(names, textarea, problems, offers);

    const pane = element("section", { class: "body-editor__preview", "aria-label": "Preview" });
    const bar = element("div", { class: "body-editor__bar" });
    bar.append(element("span", { class: "body-editor__title" }, "Preview"));
    const frame = element("iframe", {
      title: "The interview as readers will see it",
      class: "body-editor__frame",
      sandbox: "allow-same-origin", // the site's stylesheet, never a script
    });
    for (const [label, width] of WIDTHS) {
      const button = element("button", { type: "button", class: "button", "aria-pressed": String(width === "100%") }, label);
      button.addEventListener("click", () => {
        frame.style.width = width;
        for (const other of bar.querySelectorAll("button")) other.setAttribute("aria-pressed", String(other === button));
      });
      bar.append(button);
    }
    pane.append(bar, frame);
    row.append(pane);

    let timer = null;
    let asked = 0;
    const token = form.elements.csrfmiddlewaretoken;

    const showNames = (casts) => {
      names.replaceChildren();
      for (const cast of casts) {
        if (!cast.name) continue;
        const button = element("button", { type: "button", class: "button" }, cast.name + ":");
        button.addEventListener("click", () => insertName(textarea, cast.name));
        names.append(button);
      }
    };

    const refresh = () => {
      timer = null;
      const casts = participants(form);
      showNames(casts);
      const question = ++asked;
      fetch(config.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
        body: JSON.stringify({ body: textarea.value, participants: casts }),
      })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((answer) => {
          if (question !== asked) return; // a later answer is on its way
          frame.srcdoc = answer.html;
          problems.replaceChildren(...answer.problems.map((text) => element("li", {}, text)));
          showNewcomers(offers, form, answer.newcomers || []);
        })
        .catch(() => {
          if (question === asked) problems.replaceChildren(element("li", {}, "The preview could not be updated; the text is still checked when you save."));
        });
    };
    const soon = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(refresh, QUIET_MS);
    };

    textarea.addEventListener("input", soon);
    form.addEventListener("change", (event) => {
      if (event.target.name && event.target.name.startsWith("participants-")) soon();
    });
    if (window.django && window.django.jQuery) {
      window.django.jQuery(form).on("change", "select[name^='participants-']", soon);
      window.django.jQuery(document).on("formset:added formset:removed", soon);
    }
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
