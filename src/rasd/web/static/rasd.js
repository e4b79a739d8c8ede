// Watchlist and feed create/delete through the JSON API with a bearer token kept in localStorage.
"use strict";
(function () {
  const KEY = "rasd-token";
  const tokenInput = document.getElementById("token");
  if (!tokenInput) return;
  tokenInput.value = localStorage.getItem(KEY) || "";
  tokenInput.addEventListener("change", () => localStorage.setItem(KEY, tokenInput.value.trim()));
  const status = document.getElementById("form-status");
  const list = (s) => s.split(/[,\n،]/).map((x) => x.trim()).filter(Boolean);
  const headers = () => ({ "Content-Type": "application/json", Authorization: "Bearer " + tokenInput.value.trim() });
  async function report(resp) {
    if (resp.ok) { location.reload(); return; }
    let detail = resp.statusText;
    try { const p = await resp.json(); detail = p.title + ": " + p.detail; } catch (e) { /* not JSON */ }
    status.textContent = detail;
  }
  const feedForm = document.getElementById("new-feed");
  if (feedForm) feedForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    localStorage.setItem(KEY, tokenInput.value.trim());
    const f = new FormData(ev.target);
    report(await fetch("/api/feeds", { method: "POST", headers: headers(),
      body: JSON.stringify({ url: f.get("url"), name: f.get("name") || "" }) }));
  });
  const wlForm = document.getElementById("new-watchlist");
  if (wlForm) wlForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    localStorage.setItem(KEY, tokenInput.value.trim());
    const f = new FormData(ev.target);
    const body = { name: f.get("name"), keywords: list(f.get("keywords")), languages: list(f.get("languages")),
      outlets: list(f.get("outlets")), entities: [], webhook_url: f.get("webhook_url") || null,
      email: f.get("email") || null };
    report(await fetch("/api/watchlists", { method: "POST", headers: headers(), body: JSON.stringify(body) }));
  });
  document.querySelectorAll("button.delete").forEach((b) => b.addEventListener("click", async () => {
    const api = b.dataset.api || "/api/watchlists/";
    report(await fetch(api + b.dataset.id, { method: "DELETE", headers: headers() }));
  }));
})();
