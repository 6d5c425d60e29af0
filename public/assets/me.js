// The progress page: ticking an action item's checkbox sends its form (a plain POST that redirects back to /me).
// Without this script the "Mark done" / "Reopen" buttons do the same.
(() => {
  for (const form of document.querySelectorAll('form.action-item')) {
    const toggle = form.querySelector('.done-toggle');
    const button = form.querySelector('.toggle-button');
    if (!toggle) continue;
    if (button) button.hidden = true;
    toggle.addEventListener('change', () => {
      toggle.disabled = true;
      form.requestSubmit();
    });
  }
})();
