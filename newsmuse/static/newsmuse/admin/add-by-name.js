/*
 * Add a record by typing its name into the field that chooses it: a person in a
 * participants row, a film, a series. When nothing found matches the name exactly, the
 * last choice of the list offers to add it; choosing it asks the server
 * (newsmuse.admin.AddByNameMixin) for the record, which is then chosen as if it had been
 * found. A name already here, accents and case aside, chooses that record and says so:
 * nothing is added twice. There is no pop-up window, and the record's details (a bio, a
 * poster) can be filled in on its own page later.
 *
 * Django's admin starts every pop-up field with $.fn.djangoAdminSelect2 (autocomplete.js,
 * loaded just before this file, also for rows added later); fields with
 * data-add-by-name are started here instead. Without JavaScript the fields are plain
 * choices and nothing here runs.
 */
(function ($) {
  "use strict";

  const NEW = "new:";
  const startPlain = $.fn.djangoAdminSelect2;

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
    $(select).on("select2:select", (event) => {
      const item = event.params.data;
      if (item.isNew) add(select, item, noun);
    });
  }

  async function add(select, item, noun) {
    const say = status(select);
    say(`Adding “${item.text}”…`, false);
    let answer;
    try {
      const response = await fetch(select.dataset.addByName, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": select.form.elements.csrfmiddlewaretoken.value },
        body: new URLSearchParams({ name: item.text }),
      });
      answer = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(answer.error || `The server answered ${response.status}.`);
    } catch (error) {
      drop(select, item.id);
      say(`“${item.text}” was not added: ${error.message || "the server could not be reached."}`, true);
      return;
    }
    drop(select, item.id);
    choose(select, String(answer.id), answer.text);
    say(
      answer.created
        ? `Added ${answer.text} as a new ${noun}.`
        : `${answer.text} is already here and is now chosen.`,
      false,
    );
  }

  function drop(select, value) {
    for (const option of select.options) if (option.value === value) option.remove();
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
