// Polls /api/overview and redraws the counts and the live event list.
// Every value is written with textContent, so event content stays text.
"use strict";

const POLL_MS = 1000;

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function eventRow(event) {
  const row = document.createElement("tr");
  row.dataset.eventId = String(event.id);
  row.appendChild(cell(event.receivedAt));
  row.appendChild(cell(event.type));
  const idCell = document.createElement("td");
  const link = document.createElement("a");
  link.href = "/events/" + encodeURIComponent(event.id);
  link.textContent = event.messageId;
  idCell.appendChild(link);
  row.appendChild(idCell);
  row.appendChild(cell(event.source));
  const status = cell(event.status, "status-" + event.status);
  if (event.reason) {
    const reason = document.createElement("div");
    reason.className = "small-reason";
    reason.textContent = event.reason;
    status.appendChild(reason);
  }
  row.appendChild(status);
  const deliveries = document.createElement("td");
  for (const [destination, state] of Object.entries(event.deliveries)) {
    const badge = document.createElement("span");
    badge.className = "badge state-" + state;
    badge.textContent = destination + ": " + state;
    deliveries.appendChild(badge);
  }
  row.appendChild(deliveries);
  return row;
}

function updateCounts(tableId, rows, key) {
  for (const entry of rows) {
    const row = Array.from(document.querySelectorAll("#" + tableId + " tbody tr"))
      .find((tr) => tr.dataset[key] === entry.name);
    if (!row) continue;
    for (const [name, count] of Object.entries(entry.counts)) {
      const target = row.querySelector('[data-count="' + name + '"]');
      if (target) target.textContent = String(count);
    }
  }
}

function updateEvents(events) {
  const body = document.querySelector("#events tbody");
  if (events.length === 0) return;
  body.replaceChildren(...events.map(eventRow));
}

async function poll() {
  const status = document.getElementById("live-status");
  try {
    const response = await fetch("/api/overview", { cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const overview = await response.json();
    updateCounts("sources", overview.sources, "source");
    updateCounts("destinations", overview.destinations, "destination");
    updateEvents(overview.events);
    status.textContent = "live";
    status.classList.remove("stale");
  } catch (error) {
    status.textContent = "reconnecting";
    status.classList.add("stale");
  }
  setTimeout(poll, POLL_MS);
}

setTimeout(poll, POLL_MS);
