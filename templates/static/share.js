// Turn each "copy link" link into a button that copies the page's address. Without this
// script (or a clipboard), it stays a plain link to the page.
for (const link of document.querySelectorAll("a[data-copy]")) {
  const status = link.parentElement.querySelector(".share-status");
  link.setAttribute("role", "button");
  link.addEventListener("click", async (event) => {
    if (!navigator.clipboard) return;
    event.preventDefault();
    try {
      await navigator.clipboard.writeText(link.href);
      if (status) status.textContent = link.dataset.copied;
    } catch {
      window.prompt(link.textContent, link.href);
    }
  });
}
