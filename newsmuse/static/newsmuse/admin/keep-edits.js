/*
 * Nothing typed into the feature form is lost with a closed tab, a crashed browser, a
 * dropped connection or a lost laptop: half a second after typing stops, the form is copied
 * into this browser (localStorage, under the editor's name and the piece) and sent to the
 * server (features.models.Autosave). The next time the piece is opened, the newer copy is
 * offered back. Leaving the page with unsaved changes asks first.
 *
 * A copy is only a copy: nothing readers see changes until the editor saves. It carries
 * the version it was made on, so if a colleague has saved since, the save is refused and
 * merged like any other late save: nobody's work is overwritten.
 *
 * The element #keep-edits (in the change form) names the copies; on other feature admin
 * pages the script only clears copies that a successful save has made obsolete.
 */
(function () {
  "use strict";

  const PREFIX = "newsmuse:edits:";
  const QUIET_MS = 500;

  /* This browser's store, or one that keeps nothing when storage is off (private mode,
     a policy): the server's copy and the leave warning still protect the edits. */
  function storage() {
    try {
      const probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return { length: 0, key: () => null, getItem: () => null, setItem() {}, removeItem() {} };
    }
  }

  function read(store, key) {
    try {
      return JSON.parse(store.getItem(key));
    } catch (error) {
      return null;
    }
  }

  /* After a successful save the page says so (Django's success message, which links to
     the piece): the copies sent with that save, of that piece or of a new one, are now in
     the database. */
  function clearSaved(store, marker) {
    const saved = document.querySelectorAll(".messagelist .success");
    if (!saved.length) return;
    const pieces = new Set([":feature:new"]);
    if (marker) pieces.add(marker.dataset.key.slice(marker.dataset.key.indexOf(":feature:")));
    for (const message of saved) {
      for (const link of message.querySelectorAll("a[href]")) {
        const match = link.getAttribute("href").match(/\/features\/feature\/(\d+)\/change\/$/);
        if (match) pieces.add(":feature:" + match[1]);
      }
    }
    for (let index = store.length - 1; index >= 0; index--) {
      const key = store.key(index);
      if (!key || !key.startsWith(PREFIX)) continue;
      const copy = read(store, key);
      const ofSavedPiece = Array.from(pieces).some((piece) => key.endsWith(piece));
      if (ofSavedPiece && (!copy || copy.sent)) store.removeItem(key);
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
        // A blank option chosen is no choice, as when the list has no option at all; nor is
        // an offer to add a name not yet added (add-by-name.js).
        const chosen = Array.from(element.selectedOptions).filter(
          (option) => option.value !== "" && !option.hasAttribute("data-select2-tag"),
        );
        fields[name] = chosen.map((option) => [option.value, option.text]);
      } else {
        fields[name] = element.value;
      }
    }
    return fields;
  }

  /* Whether two copies hold the same edits (the version they were made on aside). */
  function same(a, b) {
    const edits = (fields) =>
      JSON.stringify(
        Object.keys(fields)
          .filter((name) => name !== "loaded_version")
          .sort()
          .map((name) => [name, fields[name]])
      );
    return edits(a) === edits(b);
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
      "Changes you made to this form were kept but not saved (" + when(copy.savedAt) + ").";
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

  function serverCopy() {
    const script = document.getElementById("keep-edits-autosave");
    try {
      return script ? JSON.parse(script.textContent) : null;
    } catch (error) {
      return null;
    }
  }

  /* Sends copies to the server, or forgets them there; a failure leaves the local copy. */
  function autosaver(form, url, status) {
    const token = form.elements.csrfmiddlewaretoken;
    const send = (method, body, keepalive) =>
      fetch(url, {
        method: method,
        credentials: "same-origin",
        keepalive: Boolean(keepalive),
        headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    let underWay = Promise.resolve();
    return {
      keep(fields, keepalive) {
        const version = Number(fields.loaded_version || 0);
        underWay = send("POST", { base_version: version, fields: fields }, keepalive)
          .then((response) => {
            if (!response.ok) throw new Error(String(response.status));
            status("Changes kept at " + new Date().toLocaleTimeString() + ".");
          })
          .catch(() => status("Changes kept in this browser only: the server did not take them."));
      },
      forget() {
        underWay = send("DELETE").catch(() => {});
      },
      /* Resolves once the last request has been answered, or after `ms` at most. */
      settled(ms) {
        return Promise.race([underWay, new Promise((resolve) => setTimeout(resolve, ms))]);
      },
    };
  }

  function keep(store, form, marker) {
    const key = PREFIX + marker.dataset.key;
    // A form shown again after a refused save holds edits that are saved nowhere yet.
    const refused = marker.dataset.unsaved === "true";
    const initial = refused ? null : fieldsOf(form);
    const statusLine = document.createElement("p");
    statusLine.className = "keep-edits-status";
    statusLine.setAttribute("aria-live", "polite");
    marker.after(statusLine);
    const status = (text) => {
      statusLine.textContent = text;
    };
    const server = autosaver(form, marker.dataset.autosaveUrl, status);
    const serverKept = serverCopy();
    let onServer = Boolean(serverKept);
    let offering = false; // a kept copy is on offer: until answered, nothing replaces it
    let submitting = false;
    let timer = null;

    const dirty = () => initial === null || !same(fieldsOf(form), initial);
    const save = (keepalive) => {
      timer = null;
      if (submitting) return;
      if (offering) {
        status("Restore or discard the kept changes above to have these kept too.");
        return;
      }
      if (!dirty()) {
        store.removeItem(key);
        if (onServer) server.forget();
        onServer = false;
        return;
      }
      const copy = { savedAt: new Date().toISOString(), fields: fieldsOf(form) };
      try {
        store.setItem(key, JSON.stringify(copy));
      } catch (error) {
        // storage full: the server's copy and the leave warning still protect the edit
      }
      onServer = true;
      server.keep(copy.fields, keepalive);
    };
    const soon = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, QUIET_MS);
    };

    const differs = (copy) => copy && copy.fields && !same(copy.fields, initial);
    const copies = refused ? [] : [read(store, key), serverKept].filter(differs);
    copies.sort((a, b) => String(b.savedAt).localeCompare(String(a.savedAt)));
    if (refused) {
      save();
    } else if (copies.length) {
      offering = true;
      offer(
        form,
        copies[0],
        () => {
          offering = false;
          fill(form, copies[0].fields);
          save();
        },
        () => {
          offering = false;
          store.removeItem(key);
          server.forget();
          onServer = false;
          save();
        }
      );
    } else {
      store.removeItem(key); // none, or already in the form as it was saved
      if (onServer) server.forget();
      onServer = false;
    }

    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", soon);
    form.addEventListener("submit", (event) => {
      if (!submitting) {
        // No copy is sent from now on, and one still on its way must land before the
        // save, not after it: the save forgets the copy.
        event.preventDefault();
        submitting = true;
        if (timer) clearTimeout(timer);
        if (offering) {
          // Saved without an answer: the kept copy stays, here and on the server.
          form.append(Object.assign(document.createElement("input"), {
            type: "hidden",
            name: "_autosave_unanswered",
            value: "1",
          }));
        } else if (dirty()) {
          const copy = { savedAt: new Date().toISOString(), fields: fieldsOf(form), sent: true };
          try {
            store.setItem(key, JSON.stringify(copy));
          } catch (error) {
            // the save itself carries the edits
          }
        }
        // Submitted again from a task of its own: the form ignores a submit requested
        // while it is still dispatching this one.
        server.settled(3000).then(() => setTimeout(() => form.requestSubmit(event.submitter)));
      }
    });
    window.addEventListener("beforeunload", (event) => {
      if (submitting || !dirty()) return;
      if (timer) {
        clearTimeout(timer);
        save(true);
      }
      event.preventDefault();
      event.returnValue = "";
    });
  }

  function start() {
    const store = storage();
    const marker = document.getElementById("keep-edits");
    clearSaved(store, marker);
    const form = marker && marker.closest("form");
    if (form) keep(store, form, marker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
