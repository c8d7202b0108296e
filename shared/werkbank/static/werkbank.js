// The workbench's few scripts; every page works without them.
"use strict";

// A print button: <button data-afdrukken>.
document.addEventListener("click", (e) => {
  const knop = e.target.closest("[data-afdrukken]");
  if (knop) { e.preventDefault(); window.print(); }
});

// A download that takes a while (an export): <a href="..." data-download="Excel">. While the
// file is made and fetched, the page says so and shows how far it is; then the browser saves it.
document.addEventListener("click", async (e) => {
  const link = e.target.closest("a[data-download]");
  if (!link || !window.fetch || !window.ReadableStream) return;
  e.preventDefault();
  const status = document.getElementById("download-status");
  const tekst = status.querySelector(".tekst");
  const balk = status.querySelector("progress");
  const wat = link.dataset.download || "Het bestand";
  status.hidden = false;
  link.setAttribute("aria-disabled", "true");
  balk.removeAttribute("value");
  tekst.textContent = `${wat} wordt gemaakt…`;
  try {
    const antwoord = await fetch(link.href, { credentials: "same-origin" });
    if (!antwoord.ok) throw new Error(`foutcode ${antwoord.status}`);
    const totaal = Number(antwoord.headers.get("content-length")) || 0;
    const lezer = antwoord.body.getReader();
    const delen = [];
    let binnen = 0;
    for (;;) {
      const { done, value } = await lezer.read();
      if (done) break;
      delen.push(value);
      binnen += value.length;
      if (totaal) { balk.max = totaal; balk.value = binnen; }
      tekst.textContent = `${wat} wordt opgehaald: ${Math.round(binnen / 1024)} kB` +
        (totaal ? ` van ${Math.round(totaal / 1024)} kB` : "");
    }
    const naam = /filename="([^"]+)"/.exec(antwoord.headers.get("content-disposition") || "");
    const url = URL.createObjectURL(new Blob(delen, { type: antwoord.headers.get("content-type") || "" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: naam ? naam[1] : "" });
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    balk.max = 1; balk.value = 1;
    tekst.textContent = `${wat} is gedownload.`;
    status.dataset.klaar = "ja";
  } catch (fout) {
    tekst.textContent = `${wat} kon niet worden gedownload (${fout.message}). Probeer het opnieuw.`;
    status.dataset.klaar = "fout";
  } finally {
    link.removeAttribute("aria-disabled");
  }
});
