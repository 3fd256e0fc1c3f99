/*
 * Add a record by typing its name into the field that chooses it: a person in a
 * participants row, a film, a series. When nothing found matches the name exactly, the
 * last choice of the list offers to add it. Choosing it opens a short form right there for
 * the record's details (a person's bio and portrait; a film's year, synopsis, poster and
 * where to watch it), all optional; a series is added at once. The server
 * (newsmuse.admin.AddByNameMixin) makes the record, which is then chosen as if it had been
 * found. A name already here, accents and case aside, chooses that record and says so:
 * nothing is added twice. There is no pop-up window.
 *
 * Django's admin starts every pop-up field with $.fn.djangoAdminSelect2 (autocomplete.js,
 * loaded just before this file, also for rows added later); fields with
 * data-add-by-name are started here instead. Without JavaScript the fields are plain
 * choices and nothing here runs.
 */
(function ($) {
  "use strict";

  const { element, postForJson } = window.newsmuseAdmin;

  const NEW = "new:";
  const startPlain = $.fn.djangoAdminSelect2;
  const openPanels = new Set(); // the selects whose details form is open

  $.fn.djangoAdminSelect2 = function () {
    startPlain.call(this.filter((index, select) => !select.dataset.addByName));
    this.filter((index, select) => select.dataset.addByName).each((index, select) =>
      start(select),
    );
    return this;
  };

  function start(select) {
    const noun = select.dataset.addByNameLabel;
    if (!select.multiple && !Array.from(select.options).some((option) => option.value === "")) {
      // A single choice with no blank option (a required field) would take the offer to
      // add a name as its value the moment the offer is listed.
      select.prepend(new Option("", "", false, !select.value));
    }
    $(select).select2({
      ajax: {
        data: (params) => ({
          term: params.term,
          page: params.page,
          app_label: select.dataset.appLabel,
          model_name: select.dataset.modelName,
          field_name: select.dataset.fieldName,
        }),
      },
      tags: true,
      createTag(params) {
        const name = (params.term || "").split(/\s+/).filter(Boolean).join(" ");
        return name ? { id: NEW + name, text: name, isNew: true } : null;
      },
      insertTag(results, tag) {
        results.push(tag); // after what was found, so Enter picks a match first
      },
      templateResult(item) {
        return item.isNew ? `Add “${item.text}” as a new ${noun}` : item.text;
      },
    });
    $(select).on("select2:selecting", () => {
      // What the field held before, to bring back if the adding is cancelled or refused.
      select.addByNameBefore = Array.from(select.selectedOptions, (option) => option.value);
    });
    $(select).on("select2:select", (event) => {
      if (event.params.data.isNew) offered(select, event.params.data);
    });
  }

  /* The editor took the offer to add a name: ask for its details, or add it at once. */
  function offered(select, item) {
    const noun = select.dataset.addByNameLabel;
    const details = JSON.parse(select.dataset.addByNameDetails || "[]");
    if (details.length) askDetails(select, item, noun, details);
    else add(select, item, noun, new FormData());
  }

  /* For other scripts of the form (the body editor's “add this speaker”): take the offer
     to add ``name`` in ``select`` as if it had been typed there and chosen, or, given the
     ``existing`` record ({id, name}) it is, choose that one. When a details form for that
     name is already open, it is brought into view instead. False when there is no field to
     add it in. */
  function offer(select, name, existing) {
    const waiting = Array.from(openPanels).find(
      (open) => open.isConnected && open.value === NEW + name,
    );
    if (waiting) {
      waiting.addByNamePanel.scrollIntoView({ block: "center" });
      waiting.addByNamePanel.querySelector("input, textarea, button").focus();
      return true;
    }
    if (!select || !select.dataset.addByName) return false;
    if (existing) {
      choose(select, String(existing.id), existing.name);
      status(select)(`${existing.name} is already here and is now chosen.`, false);
      const choice = alsoChoice(select);
      if (choice) choice.focus(); // what is left to choose, e.g. their role
      else focusField(select);
      return true;
    }
    select.addByNameBefore = Array.from(select.selectedOptions, (option) => option.value);
    const item = { id: NEW + name, text: name, isNew: true };
    choose(select, item.id, item.text);
    offered(select, item);
    return true;
  }
  window.newsmuseAdmin.offerToAdd = offer;

  /* A short form for the new record's details, under the field (in a table, under its row).
     Its inputs have no name: saving the page never sends them, and the page will not save
     while it is open (see the submit listener below). */
  function askDetails(select, item, noun, details) {
    closeDetails(select);
    const id = `${select.id}-new`;
    const panel = element("div", { class: "add-by-name-panel", role: "group", "aria-label": `New ${noun}` });
    const title = element("p", { class: "add-by-name-panel__title" }, `New ${noun}: `);
    title.append(element("strong", {}, item.text));
    panel.append(title);
    const inputs = [];
    for (const detail of details) {
      const inputId = `${id}-${detail.name}`;
      if (detail.kind === "image") {
        const file = element("input", { type: "file", id: inputId, accept: "image/*" });
        const alt = element("input", {
          type: "text",
          id: `${inputId}-alt`,
          class: "vTextField",
          placeholder: detail.alt.replace("{name}", item.text),
        });
        panel.append(element("label", { for: inputId }, detail.label), file);
        panel.append(element("label", { for: `${inputId}-alt` }, `${detail.label}: alt text`), alt);
        inputs.push(["image", file], ["image_alt", alt]);
      } else {
        const input =
          detail.kind === "textarea"
            ? element("textarea", { id: inputId, rows: "3", class: "vLargeTextField" })
            : element("input", { type: detail.kind, id: inputId, class: "vTextField" });
        panel.append(element("label", { for: inputId }, detail.label), input);
        inputs.push([detail.name, input]);
      }
    }
    const buttons = element("div", { class: "add-by-name-panel__buttons" });
    const cancel = element("button", { type: "button", class: "button cancel-link" }, "Cancel");
    const confirms = addButtons(select, noun);
    buttons.append(...confirms.map(([button]) => button), cancel);
    const problem = element("p", { class: "add-by-name-panel__problem", role: "alert" });
    panel.append(buttons, problem);

    const row = select.closest("tr");
    if (row) {
      const cell = element("td", { colspan: String(row.cells.length) });
      cell.append(panel);
      const panelRow = element("tr", { class: "add-by-name-row" });
      panelRow.append(cell);
      row.after(panelRow);
      select.addByNamePanel = panelRow;
    } else {
      (select.closest(".flex-container") || select.parentElement).after(panel);
      select.addByNamePanel = panel;
    }
    select.addByNameProblem = problem;
    openPanels.add(select);
    (inputs[0] ? inputs[0][1] : confirms[0][0]).focus();

    const giveUp = () => {
      closeDetails(select);
      drop(select, item.id);
      focusField(select);
    };
    cancel.addEventListener("click", giveUp);
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        giveUp();
      } else if (event.key === "Enter" && event.target.tagName === "INPUT") {
        event.preventDefault(); // Enter adds the record, it does not save the page
        confirms[0][0].click();
      }
    });
    for (const [confirm, setAlso] of confirms) {
      confirm.addEventListener("click", async () => {
        if (!select.isConnected) return closeDetails(select); // its row was deleted
        const data = new FormData();
        for (const [name, input] of inputs) {
          if (input.type === "file") {
            if (input.files.length) data.append(name, input.files[0]);
          } else {
            data.append(name, input.value);
          }
        }
        confirms.forEach(([button]) => (button.disabled = true));
        const problemText = await add(select, item, noun, data);
        confirms.forEach(([button]) => (button.disabled = false));
        if (problemText) {
          problem.textContent = problemText; // the typed details stay
        } else {
          closeDetails(select);
          setAlso();
          focusField(select);
        }
      });
    }
  }

  /* The buttons that add the record, each with what it sets besides: one “Add person”, or,
     where the field names a choice of its row (data-add-by-name-as="role"), one button per
     option of that choice (“Add as interviewer”, “Add as guest”), which it then chooses. */
  function addButtons(select, noun) {
    const button = (text) => element("button", { type: "button", class: "button" }, text);
    const choice = alsoChoice(select);
    if (!choice) return [[button(`Add ${noun}`), () => {}]];
    return Array.from(choice.options)
      .filter((option) => option.value)
      .map((option) => [
        button(`Add as ${option.text.toLowerCase()}`),
        () => {
          choice.value = option.value;
          choice.dispatchEvent(new Event("change", { bubbles: true }));
        },
      ]);
  }

  /* The choice of the field's row that adding also sets (data-add-by-name-as), or null. */
  function alsoChoice(select) {
    const also = select.dataset.addByNameAs;
    const row = select.closest("tr, .inline-related, .form-row");
    return (also && row && row.querySelector(`select[name$='-${also}']`)) || null;
  }

  function closeDetails(select) {
    if (select.addByNamePanel) select.addByNamePanel.remove();
    select.addByNamePanel = null;
    openPanels.delete(select);
  }

  function focusField(select) {
    const box = select.nextElementSibling && select.nextElementSibling.querySelector(".select2-selection");
    if (box) box.focus();
  }

  /* Saving the page while a details form is open would send the offer, not a record, and
     lose what was typed in it: the save waits, and the form says why. */
  document.addEventListener(
    "submit",
    (event) => {
      const waiting = Array.from(openPanels).filter((select) => select.isConnected);
      if (!waiting.length) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      for (const select of waiting) {
        select.addByNameProblem.textContent =
          "Add this or cancel it first: the page was not saved while it is open.";
      }
      const first = waiting[0].addByNamePanel;
      first.scrollIntoView({ block: "center" });
      first.querySelector("input, textarea, button").focus();
    },
    true,
  );

  /* A deleted participants row takes its open details form with it. */
  document.addEventListener("formset:removed", () => {
    for (const select of Array.from(openPanels)) if (!select.isConnected) closeDetails(select);
  });

  /* Asks the server for the record; returns what went wrong, or nothing when it is chosen. */
  async function add(select, item, noun, data) {
    const say = status(select);
    say(`Adding “${item.text}”…`, false);
    data.append("name", item.text);
    let answer;
    try {
      answer = await postForJson(select.dataset.addByName, select.form, data);
    } catch (error) {
      const problem = `“${item.text}” was not added: ${error.message || "the server could not be reached."}`;
      if (select.addByNamePanel) {
        say("", false); // said in the details form, which stays open with what was typed
      } else {
        say(problem, true);
        drop(select, item.id);
      }
      return problem;
    }
    drop(select, item.id, false);
    choose(select, String(answer.id), answer.text);
    let said = `Added ${answer.text} as a new ${noun}.`;
    if (!answer.created) {
      said = `${answer.text} is already here and is now chosen.`;
      if (answer.details_unused) said += " What you typed for them was not used: their own page has their details.";
    }
    say(said, false);
  }

  /* Takes the offer out of the field and, unless something else is chosen next, brings
     back what the field held before it. */
  function drop(select, value, restore = true) {
    for (const option of select.options) if (option.value === value) option.remove();
    if (restore) {
      const before = new Set(select.addByNameBefore || []);
      for (const option of select.options) option.selected = before.has(option.value);
    }
    $(select).trigger("change");
  }

  function choose(select, value, text) {
    const found = Array.from(select.options).find((option) => option.value === value);
    const option = found || new Option(text, value);
    option.selected = true;
    if (!found) select.append(option);
    $(select).trigger("change");
  }

  /* A line under the field for what happened; errors are marked as such. */
  function status(select) {
    let line = select.parentElement.querySelector(".add-by-name-status");
    if (!line) {
      line = document.createElement("p");
      line.className = "add-by-name-status";
      line.setAttribute("role", "status");
      select.parentElement.append(line);
    }
    return (text, isError) => {
      line.textContent = text;
      line.classList.toggle("is-error", isError);
    };
  }
})(django.jQuery);
