/*
 * What the admin's own scripts share (window.newsmuseAdmin), loaded before them: building
 * an element, and POSTing to an admin view that answers JSON.
 */
(function () {
  "use strict";

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  /* POSTs ``body`` (FormData) with the CSRF token of ``form``; the JSON answer, or an Error
     with the server's own words for what went wrong. */
  async function postForJson(url, form, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
      body,
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || `The server answered ${response.status}.`);
    return answer;
  }

  window.newsmuseAdmin = { element, postForJson };
})();
