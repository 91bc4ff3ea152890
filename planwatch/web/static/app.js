// planwatch pages: CSRF header for htmx, the indicator chart (ECharts), the document viewer focus, errors.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (e) {
    if (meta && meta.content) e.detail.headers["X-CSRF-Token"] = meta.content;
  });
  // htmx does not swap 4xx/5xx answers: say what went wrong in the flash line instead of failing silently.
  document.body.addEventListener("htmx:responseError", function (e) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    var msg = e.detail.xhr.status + "";
    try { msg += " " + JSON.parse(e.detail.xhr.responseText).detail; } catch (err) { /* not JSON */ }
    flash.textContent = msg;
    flash.hidden = false;
  });
  document.body.addEventListener("click", function (e) {
    var mark = e.target.closest("mark[data-claim]");
    if (!mark) return;
    document.querySelectorAll("mark.sel").forEach(function (m) { m.classList.remove("sel"); });
    mark.classList.add("sel");
  });
  var focus = document.querySelector("mark.focus");
  // scroll the text box, not the page, so the header and the details panel stay in view
  // (after the browser's own jump to the #c… anchor, which would scroll the whole page)
  var box = document.getElementById("doctext");
  if (focus && box) window.addEventListener("load", function () {
    setTimeout(function () { box.scrollTop = focus.offsetTop - box.clientHeight / 2; window.scrollTo(0, 0); }, 0);
  });

  var tones = { good: "#2da44e", fair: "#d4a72c", bad: "#cf222e", none: "#afb8c1" };
  var statusEl = document.getElementById("status-chart");
  var statusData = document.getElementById("status-data");
  if (statusEl && statusData && typeof echarts !== "undefined") {
    var rows = JSON.parse(statusData.textContent);
    var donut = echarts.init(statusEl, null, { renderer: "canvas" });
    donut.setOption({
      animation: false, tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{ type: "pie", radius: ["45%", "75%"], label: { show: false },
        data: rows.map(function (r) { return { name: r.name, value: r.value, itemStyle: { color: tones[r.tone] } }; }) }]
    });
    window.planwatchStatusChart = donut;
  }

  var el = document.getElementById("chart");
  var dataEl = document.getElementById("chart-data");
  if (!el || !dataEl || typeof echarts === "undefined") return;
  var d = JSON.parse(dataEl.textContent);
  var t = el.dataset;
  var series = [{
    name: t.actual, type: "line", symbolSize: 9, itemStyle: { color: "#1f6feb" },
    data: d.series.map(function (p) { return { value: [p.year, p.value], claim: p.claim_id }; }),
    markLine: d.target_line === null ? undefined : {
      symbol: "none", lineStyle: { color: "#cf222e", type: "solid" },
      label: { formatter: t.targetLine + " {c}" }, data: [{ yAxis: d.target_line }]
    }
  }];
  d.paths.forEach(function (p, i) {
    series.push({
      name: t.path, type: "line", symbol: "circle", symbolSize: 6, lineStyle: { type: "dashed", color: "#9a6700" },
      itemStyle: { color: "#9a6700" },
      data: [{ value: [p.from_year, p.from_value], claim: p.claim_id }, { value: [p.to_year, p.to_value], claim: p.claim_id }]
    });
  });
  if (d.targets.length) series.push({
    name: t.target, type: "scatter", symbol: "diamond", symbolSize: 13, itemStyle: { color: "#cf222e" },
    data: d.targets.map(function (p) { return { value: [p.year, p.value], claim: p.claim_id }; })
  });
  var years = [];
  series.forEach(function (s) { s.data.forEach(function (p) { years.push(p.value[0]); }); });
  var chart = echarts.init(el, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "item", formatter: function (p) { return p.seriesName + "<br>" + p.value[0] + ": " + p.value[1] + " " + (t.unit || ""); } },
    legend: { top: 0 },
    grid: { left: 60, right: 80, top: 40, bottom: 30 },
    xAxis: { type: "value", min: Math.min.apply(null, years) - 1, max: Math.max.apply(null, years) + 1,
             minInterval: 1, axisLabel: { formatter: function (v) { return String(v); } } },
    yAxis: { type: "value", name: t.unit || "", scale: true },
    series: series
  });
  // a click on a point opens the claim it came from (its quote in the document)
  chart.on("click", function (p) { if (p.data && p.data.claim) window.location.href = "/claims/" + p.data.claim; });
  window.addEventListener("resize", function () { chart.resize(); });
  window.planwatchChart = chart;
})();
