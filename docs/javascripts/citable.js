// The cite boxes. Without JavaScript every citation is there as plain text, without
// an access date, to select and copy by hand. With it:
// - a citation whose style gives the reader's access date gets today's, written as
//   the style writes dates (the forms, per style, are in #citable-access-dates: the
//   22nd of each month of the year 1111, as pandoc's citeproc printed them);
// - every citation text and record gets a "Copy" button, which copies what is shown.
(function () {
  var forms = document.getElementById("citable-access-dates");
  if (forms) {
    var byStyle = JSON.parse(forms.textContent);
    var today = new Date();
    document.querySelectorAll(".citable-copy[data-accessed]").forEach(function (block) {
      var form = (byStyle[block.dataset.style] || [])[today.getMonth()];
      if (!form) return;
      var day = String(today.getDate());
      // A date by numbers (1111-11-22) keeps its two digits.
      if (/^\d{4}-\d\d-22$/.test(form) && day.length < 2) day = "0" + day;
      var date = form.replace("22", day).replace("1111", String(today.getFullYear()));
      block.textContent = block.dataset.accessed.replace("{accessed}", date);
    });
  }
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
