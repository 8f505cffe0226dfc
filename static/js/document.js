// The print page of an official document: the 인쇄 button prints it.
document.addEventListener('DOMContentLoaded', function () {
  var b = document.getElementById('doc-print');
  if (b) b.addEventListener('click', function () { window.print(); });
});
