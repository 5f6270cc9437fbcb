// Note previews (Material's footnote tooltips): a name for each preview dialog, and
// Escape to hide it without moving focus or the pointer (WCAG 1.4.13). A hidden
// preview comes back once the reader moves on to another element.
(() => {
  let dismissedHost = null;

  const restore = () => {
    dismissedHost = null;
    document.body.classList.remove("reading-previews-dismissed");
  };

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && document.querySelector(".md-tooltip2--active")) {
      dismissedHost = document.activeElement;
      document.body.classList.add("reading-previews-dismissed");
    }
  });
  document.addEventListener("focusin", (event) => {
    if (dismissedHost && event.target !== dismissedHost) restore();
  });
  document.addEventListener("pointerover", (event) => {
    const host = event.target.closest && event.target.closest(".footnote-ref");
    if (dismissedHost && host && host !== dismissedHost) restore();
  });

  const name = (node) => {
    if (node.matches && node.matches(".md-tooltip2[role=dialog]:not([aria-label])")) {
      node.setAttribute("aria-label", "Note");
    }
  };
  new MutationObserver((changes) => {
    for (const change of changes) change.addedNodes.forEach(name);
  }).observe(document.body, { childList: true });
})();
