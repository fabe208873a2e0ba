// A folder upload keeps each file's folder path: the browser knows it (webkitRelativePath) but
// sends only the file name, so the paths go beside the files in a hidden field.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("audit-upload");
  var folder = document.getElementById("id_folder");
  var paths = document.getElementById("id_folder_paths");
  if (!form || !folder || !paths) return;
  function fill() {
    paths.value = JSON.stringify(Array.prototype.map.call(folder.files || [], function (f) {
      return f.webkitRelativePath || f.name;
    }));
  }
  folder.addEventListener("change", fill);
  form.addEventListener("submit", function () {
    fill();
    // a large upload takes a while: say so, and do not send it twice
    var button = form.querySelector("button[type=submit]");
    if (button && button.dataset.busy) {
      setTimeout(function () { button.disabled = true; button.textContent = button.dataset.busy; }, 0);
    }
  });
});
