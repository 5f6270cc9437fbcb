// Adds a "Copy" button to every citation text. Without JavaScript the same text is
// there to select and copy by hand.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll(".citable-copy").forEach(function (block) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "citable-copy-button";
    button.textContent = "Copy";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(block.textContent.trim()).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 2000);
      });
    });
    block.insertAdjacentElement("afterend", button);
  });
})();
