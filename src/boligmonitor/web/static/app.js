// Boligmonitor dashboard: draw Vega-Lite charts with the local bundle, sort tables,
// and submit filter forms on change. No network access beyond this server.
"use strict";

const FORMAT_LOCALES = {
  da: { decimal: ",", thousands: ".", grouping: [3], currency: ["", " kr."] },
  en: { decimal: ".", thousands: ",", grouping: [3], currency: ["", " DKK"] },
};

function drawChart(element, lang) {
  const source = document.getElementById(element.dataset.chart);
  if (!source || typeof window.vegaEmbed !== "function") return;
  const spec = JSON.parse(source.textContent);
  window
    .vegaEmbed(element, spec, {
      actions: false,
      renderer: "svg",
      formatLocale: FORMAT_LOCALES[lang],
    })
    .then(() => element.setAttribute("data-rendered", "true"))
    .catch((error) => {
      element.textContent = String(error);
      element.setAttribute("data-rendered", "error");
    });
}

// Charts inside a closed <details> are drawn when it is first opened (pages with many charts,
// such as the goals, stay quick).
function drawCharts() {
  const lang = document.documentElement.lang === "en" ? "en" : "da";
  document.querySelectorAll("[data-chart]").forEach((element) => {
    const closed = element.closest("details:not([open])");
    if (closed) {
      closed.addEventListener("toggle", () => drawChart(element, lang), { once: true });
    } else {
      drawChart(element, lang);
    }
  });
}

function sortValue(cell, kind) {
  if (kind === "number") {
    const raw = cell.dataset.value;
    return raw === undefined || raw === "" ? Number.NEGATIVE_INFINITY : Number(raw);
  }
  return cell.textContent.trim().toLocaleLowerCase();
}

function makeSortable(table) {
  table.querySelectorAll("th[data-sort]").forEach((header, column) => {
    header.tabIndex = 0;
    header.addEventListener("click", () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th").forEach((th) => th.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const kind = header.dataset.sort;
      rows.sort((a, b) => {
        const x = sortValue(a.cells[column], kind);
        const y = sortValue(b.cells[column], kind);
        const order = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
      rows.forEach((row) => body.appendChild(row));
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  document.querySelectorAll("table.sortable").forEach(makeSortable);
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  drawCharts();
});
