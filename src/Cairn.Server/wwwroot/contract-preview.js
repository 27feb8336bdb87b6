// Live preview of the new-contract form: the template's shares of the contract value, split by
// the largest-remainder rule exactly as the server does (integers in minor units, BigInt).
(function () {
  "use strict";
  var form = document.getElementById("contract-form");
  if (!form) return;
  var template = form.querySelector("#templateId");
  var value = form.querySelector("#value");
  var currency = form.querySelector("#currency");
  var table = document.getElementById("preview");

  // Thousands separators and a decimal comma as people type them ("12,000.00", "12 000.00",
  // "12.000,00", "12 000,00", "250,50"), read exactly as the server's FormNumbers reads them.
  function toMinor(text, digits) {
    var typed = (text || "").trim();
    var compact = typed.replace(/[ \u00A0\u202F]/g, "");
    if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(compact)) typed = compact.replace(/,/g, "");
    else if (/^\d{1,3}(\.\d{3})+,\d+$/.test(compact)) typed = compact.replace(/\./g, "").replace(",", ".");
    else if (/^\d{1,3}([ \u00A0\u202F]\d{3})+([.,]\d+)?$/.test(typed) || /^\d+,\d{1,2}$/.test(typed)) typed = compact.replace(",", ".");
    var m = /^\s*(\d{1,15})(?:\.(\d*))?\s*$/.exec(typed);
    if (!m || (m[2] || "").length > digits) return null;
    var fraction = (m[2] || "").padEnd(digits, "0");
    return BigInt(m[1]) * 10n ** BigInt(digits) + (digits > 0 ? BigInt(fraction) : 0n);
  }

  function format(minor, digits, code) {
    var unit = 10n ** BigInt(digits);
    var whole = (minor / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var fraction = digits > 0 ? "." + (minor % unit).toString().padStart(digits, "0") : "";
    return whole + fraction + " " + code;
  }

  // Largest remainder: floor each share, then one more minor unit to the largest remainders, ties to the earlier.
  function split(total, weights) {
    var sum = weights.reduce(function (a, w) { return a + BigInt(w); }, 0n);
    var parts = weights.map(function (w, i) {
      var exact = total * BigInt(w);
      return { i: i, floor: exact / sum, rest: exact % sum };
    });
    var leftover = total - parts.reduce(function (a, p) { return a + p.floor; }, 0n);
    parts.slice().sort(function (a, b) { return a.rest === b.rest ? a.i - b.i : (a.rest > b.rest ? -1 : 1); })
      .slice(0, Number(leftover)).forEach(function (p) { p.floor += 1n; });
    return parts.map(function (p) { return p.floor; });
  }

  function render() {
    var option = template.options[template.selectedIndex];
    if (!option) return;
    var plan = JSON.parse(option.getAttribute("data-plan") || "[]");
    var chosen = currency.options[currency.selectedIndex];
    var digits = Number(chosen.getAttribute("data-digits"));
    var total = toMinor(value.value, digits);
    var amounts = total === null || total <= 0n ? null : split(total, plan.map(function (m) { return m.bp; }));
    var body = table.tBodies[0];
    body.textContent = "";
    plan.forEach(function (m, i) {
      var row = body.insertRow();
      row.insertCell().textContent = m.title;
      var share = row.insertCell();
      share.className = "num";
      share.textContent = (m.bp / 100).toString() + "%";
      var cell = row.insertCell();
      cell.className = "num";
      var out = document.createElement("output");
      out.textContent = amounts ? format(amounts[i], digits, chosen.value) : "—";
      cell.appendChild(out);
    });
    document.getElementById("preview-total").textContent = amounts ? format(total, digits, chosen.value) : "—";
  }

  [template, value, currency].forEach(function (el) { el.addEventListener("input", render); el.addEventListener("change", render); });
  if (value.value) render();
})();
