/*
 * Nothing typed into the feature form is lost with a closed tab, a crashed browser or a
 * dropped connection: while it is edited, this browser keeps a copy of the form (in
 * localStorage, under the editor's name and the piece), and the next time the piece is
 * opened the copy is offered back. Leaving the page with unsaved changes asks first.
 *
 * A restored copy carries the version it was made on, so if a colleague has saved since,
 * the save is refused and merged like any other late save: nobody's work is overwritten.
 *
 * The element #keep-edits (in the change form) names the copy; on other feature admin
 * pages the script only clears copies that a successful save has made obsolete.
 */
(function () {
  "use strict";

  const PREFIX = "newsmuse:edits:";
  const QUIET_MS = 500;

  function storage() {
    try {
      const probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage turned off: the form works as before
    }
  }

  function read(store, key) {
    try {
      return JSON.parse(store.getItem(key));
    } catch (error) {
      return null;
    }
  }

  /* After a successful save Django shows a success message: copies sent with that save
     are now in the database. */
  function clearSaved(store) {
    if (!document.querySelector(".messagelist .success")) return;
    for (let index = store.length - 1; index >= 0; index--) {
      const key = store.key(index);
      if (key && key.startsWith(PREFIX)) {
        const copy = read(store, key);
        if (!copy || copy.sent) store.removeItem(key);
      }
    }
  }

  function fieldsOf(form) {
    const fields = {};
    for (const element of form.elements) {
      const name = element.name;
      if (!name || name === "csrfmiddlewaretoken" || element.disabled) continue;
      if (["file", "submit", "button", "reset", "image"].includes(element.type)) continue;
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.type === "radio" && !element.checked) continue;
        fields[name] = element.type === "checkbox" ? element.checked : element.value;
      } else if (element.tagName === "SELECT") {
        fields[name] = Array.from(element.selectedOptions, (option) => [option.value, option.text]);
      } else {
        fields[name] = element.value;
      }
    }
    return fields;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  /* Adds inline rows (participants) until the form has as many as the copy had. */
  function addRows(form, fields) {
    for (const [name, value] of Object.entries(fields)) {
      const match = name.match(/^(.+)-TOTAL_FORMS$/);
      if (!match) continue;
      const total = form.elements[name];
      const group = document.getElementById(match[1] + "-group");
      const add = group && group.querySelector(".add-row a");
      while (add && total && Number(total.value) < Number(value)) {
        const before = Number(total.value);
        add.click();
        if (Number(total.value) === before) break;
      }
    }
  }

  function fill(form, fields) {
    addRows(form, fields);
    for (const [name, value] of Object.entries(fields)) {
      const element = form.elements[name];
      if (!element || name.endsWith("_FORMS")) continue;
      if (element instanceof RadioNodeList) {
        for (const radio of element) radio.checked = radio.value === value;
      } else if (element.type === "checkbox") {
        element.checked = Boolean(value);
      } else if (element.tagName === "SELECT") {
        const chosen = new Map(value);
        for (const [optionValue, text] of chosen) {
          if (!Array.from(element.options).some((option) => option.value === optionValue)) {
            element.add(new Option(text, optionValue)); // autocomplete lists load lazily
          }
        }
        for (const option of element.options) option.selected = chosen.has(option.value);
        if (window.django && window.django.jQuery) window.django.jQuery(element).trigger("change");
      } else {
        element.value = value;
      }
    }
  }

  function when(iso) {
    const date = new Date(iso);
    const today = new Date().toDateString() === date.toDateString();
    const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return today ? "today at " + time : date.toLocaleDateString() + " at " + time;
  }

  function offer(form, copy, restore, discard) {
    const notice = document.createElement("div");
    notice.className = "keep-edits-offer";
    notice.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent =
      "This browser kept changes to this form that were not saved (" + when(copy.savedAt) + ").";
    const restoreButton = document.createElement("button");
    restoreButton.type = "button";
    restoreButton.className = "button";
    restoreButton.textContent = "Restore my changes";
    const discardButton = document.createElement("button");
    discardButton.type = "button";
    discardButton.className = "button keep-edits-discard";
    discardButton.textContent = "Discard them";
    notice.append(text, restoreButton, " ", discardButton);
    form.prepend(notice);
    restoreButton.addEventListener("click", () => {
      restore();
      notice.remove();
    });
    discardButton.addEventListener("click", () => {
      discard();
      notice.remove();
    });
    restoreButton.focus();
  }

  function keep(store, form, marker) {
    const key = PREFIX + marker.dataset.key;
    const initial = fieldsOf(form);
    let sending = false;
    let timer = null;

    const dirty = () => !same(fieldsOf(form), initial);
    const save = () => {
      timer = null;
      if (!dirty()) {
        store.removeItem(key);
        return;
      }
      const copy = { savedAt: new Date().toISOString(), fields: fieldsOf(form) };
      try {
        store.setItem(key, JSON.stringify(copy));
      } catch (error) {
        // storage full: the leave warning still protects the edit
      }
    };
    const soon = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, QUIET_MS);
    };

    const copy = read(store, key);
    if (copy && copy.fields && !same(copy.fields, initial)) {
      offer(
        form,
        copy,
        () => {
          fill(form, copy.fields);
          save();
        },
        () => store.removeItem(key)
      );
    } else if (copy) {
      store.removeItem(key);
    }

    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", soon);
    form.addEventListener("submit", () => {
      sending = true;
      if (timer) clearTimeout(timer);
      save();
      const sent = read(store, key);
      if (sent) store.setItem(key, JSON.stringify({ ...sent, sent: true }));
    });
    window.addEventListener("beforeunload", (event) => {
      if (sending || !dirty()) return;
      if (timer) {
        clearTimeout(timer);
        save();
      }
      event.preventDefault();
      event.returnValue = "";
    });
  }

  function start() {
    const store = storage();
    if (!store) return;
    clearSaved(store);
    const marker = document.getElementById("keep-edits");
    const form = marker && marker.closest("form");
    if (form) keep(store, form, marker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
