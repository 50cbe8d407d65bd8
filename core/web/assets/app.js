// outreach dashboard: what the pages need from a script, and no more.
// htmx does requests; this file adds the CSRF header to them, shows times
// in the browser's time zone and draws the charts. No eval, no inline
// code: the Content-Security-Policy forbids both.
(function () {
  "use strict";

  var csrf = document.body.dataset.csrf || "";
  document.body.addEventListener("htmx:configRequest", function (e) {
    if (csrf) e.detail.headers["X-CSRF-Token"] = csrf;
  });

  // Times come from the server in UTC (<time datetime>); show them in the
  // browser's zone.
  var timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      if (!isNaN(d)) {
        el.textContent = timeFormat.format(d);
        el.title = d.toISOString();
      }
    });
  }

  // A datetime-local input with data-local-time comes from the server in
  // UTC: show it in the browser's zone, name the zone in its label
  // ([data-zone-for]), and send the zone's offset at that time in the
  // field NAME_offset, so that the server reads what the person meant.
  function pad(n) { return String(n).padStart(2, "0"); }
  function inputValue(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function fromUTC(v) {
    var d = new Date(v + "Z");
    return v && !isNaN(d) ? inputValue(d) : v;
  }
  function localInputs(root) {
    root.querySelectorAll("input[type=datetime-local][data-local-time]").forEach(function (el) {
      if (el.dataset.localized) return;
      el.dataset.localized = "true";
      el.value = fromUTC(el.value);
      if (el.min) el.min = fromUTC(el.min);
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "your time zone";
      document.querySelectorAll('[data-zone-for="' + el.id + '"]').forEach(function (z) { z.textContent = "(" + zone + ")"; });
      var offset = el.form && el.form.querySelector('input[name="' + el.name + '_offset"]');
      if (!offset) return;
      el.form.addEventListener("submit", function () {
        var d = new Date(el.value); // a date and time without a zone: local
        offset.value = isNaN(d) ? "" : String(-d.getTimezoneOffset());
      });
    });
  }

  var palette = ["#0a58ca", "#d63384", "#1a7f37", "#9a6700", "#6f42c1", "#b42318", "#0dcaf0", "#57606a"];

  // A chart is an element with data-chart: JSON {"x": [unix seconds],
  // "series": [{"label", "values"}]}, drawn by uPlot as lines at the
  // element's width.
  function drawCharts(root) {
    if (!window.uPlot) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var spec = JSON.parse(el.dataset.chart);
      var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
      var opts = {
        width: Math.max(el.clientWidth, 240),
        height: 220,
        series: [{}].concat(spec.series.map(function (s, i) {
          return { label: s.label, stroke: palette[i % palette.length], width: 2 };
        })),
        axes: [{}, { size: 40 }],
        scales: { x: { time: true } },
      };
      el.textContent = "";
      var plot = new uPlot(opts, data, el);
      el.dataset.drawn = "true";
      new ResizeObserver(function () {
        plot.setSize({ width: Math.max(el.clientWidth, 240), height: 220 });
      }).observe(el);
    });
  }

  function enhance(root) {
    localTimes(root);
    localInputs(root);
    drawCharts(root);
  }
  enhance(document);
  document.body.addEventListener("htmx:afterSettle", function (e) { enhance(e.detail.elt); });
})();
