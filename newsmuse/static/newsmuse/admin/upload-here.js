/*
 * Upload an image right where it is used: under an image field (a hero, a portrait, a
 * poster), drop a file or choose one, write its alt text (or tick Decorative) and upload.
 * The image goes into the library through the same checks as the library's own form
 * (newsmuse.admin.ImageAdmin.upload_here_view), titled after the file's name, and is then
 * chosen in the field. There is no pop-up window. The inputs have no name, so saving the
 * form never sends them; without JavaScript the field keeps its “+” link to the library.
 */
(function ($) {
  "use strict";

  const { element, postForJson } = window.newsmuseAdmin;

  function start(select) {
    if (select.dataset.uploadHereStarted) return;
    select.dataset.uploadHereStarted = "yes";
    const id = select.id;
    const box = element("div", { class: "upload-here" });
    const drop = element("label", { class: "upload-here__drop", for: `${id}-upload-file` });
    drop.append(element("span", {}, "Drop an image here, or choose a file"));
    const file = element("input", { type: "file", id: `${id}-upload-file`, accept: "image/*" });
    drop.append(file);
    const altLabel = element("label", { for: `${id}-upload-alt` }, "Alt text");
    const alt = element("input", { type: "text", id: `${id}-upload-alt`, class: "vTextField" });
    const decorative = element("input", { type: "checkbox", id: `${id}-upload-decorative` });
    const decorativeLabel = element("label", { for: `${id}-upload-decorative` });
    decorativeLabel.append(decorative, " Decorative: it adds nothing to the text");
    const button = element("button", { type: "button", class: "button" }, "Upload and use");
    const status = element("p", { class: "upload-here__status", role: "status" });
    box.append(drop, altLabel, alt, decorativeLabel, button, status);
    // Under the field's row (where Django puts help), not beside it.
    (select.closest(".flex-container") || select.parentElement).after(box);

    const say = (text, isError) => {
      status.textContent = text;
      status.classList.toggle("is-error", isError);
    };
    for (const type of ["dragenter", "dragover"]) {
      drop.addEventListener(type, (event) => {
        event.preventDefault();
        drop.classList.add("is-over");
      });
    }
    drop.addEventListener("dragleave", () => drop.classList.remove("is-over"));
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.tagName === "INPUT") {
        event.preventDefault(); // Enter uploads, it does not save the page without the image
        button.click();
      }
    });
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("is-over");
      if (event.dataTransfer.files.length) {
        file.files = event.dataTransfer.files;
        alt.focus();
      }
    });
    button.addEventListener("click", async () => {
      if (!file.files.length) return say("Choose an image file first.", true);
      const data = new FormData();
      data.append("file", file.files[0]);
      data.append("alt_text", alt.value);
      if (decorative.checked) data.append("is_decorative", "on");
      button.disabled = true;
      say(`Uploading “${file.files[0].name}”…`, false);
      try {
        const answer = await postForJson(select.dataset.uploadHere, select.form, data);
        const option = new Option(answer.text, String(answer.id), true, true);
        select.append(option);
        $(select).trigger("change");
        file.value = "";
        alt.value = "";
        decorative.checked = false;
        say(`Uploaded “${answer.text}” and chose it.`, false);
      } catch (error) {
        say(`The image was not uploaded: ${error.message || "the server could not be reached."}`, true);
      } finally {
        button.disabled = false;
      }
    });
  }

  function startAll(root) {
    for (const select of root.querySelectorAll("select[data-upload-here]")) {
      if (!select.name.includes("__prefix__")) start(select);
    }
  }

  $(() => startAll(document));
  document.addEventListener("formset:added", (event) => startAll(event.target));
})(django.jQuery);
