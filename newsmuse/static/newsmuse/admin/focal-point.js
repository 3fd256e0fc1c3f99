// Click the image preview to set its focal point; the number fields stay the source of truth.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const preview = document.querySelector(".focal-point img[data-focal]");
  const x = document.getElementById("id_focal_x");
  const y = document.getElementById("id_focal_y");
  if (!preview || !x || !y) return;

  const marker = document.createElement("span");
  marker.className = "focal-point__marker";
  marker.setAttribute("aria-hidden", "true");
  preview.parentElement.append(marker);
  preview.style.cursor = "crosshair";
  preview.title = "Click to set the focal point";

  const place = () => {
    marker.style.left = `${Number(x.value) * 100}%`;
    marker.style.top = `${Number(y.value) * 100}%`;
  };
  preview.addEventListener("click", (event) => {
    const box = preview.getBoundingClientRect();
    const clamp = (value) => Math.min(Math.max(value, 0), 1).toFixed(3);
    x.value = clamp((event.clientX - box.left) / box.width);
    y.value = clamp((event.clientY - box.top) / box.height);
    place();
  });
  x.addEventListener("input", place);
  y.addEventListener("input", place);
  place();
});
