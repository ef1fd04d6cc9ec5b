/* Draws every [data-chart] element from the JSON in the <script type="application/json"> its data-source names
   (CSP: no inline script). The table under each chart holds the same numbers. Needs echarts.min.js (local). */
(function () {
  "use strict";
  var charts = [];
  var dark = document.body.classList.contains("big-screen");
  var text = dark ? "#e8eef7" : "#333";

  function data(el) {
    var source = document.getElementById(el.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }
  function base() {
    return { animation: false, textStyle: { color: text }, tooltip: { trigger: "axis" } };
  }
  function legend() {
    return { type: "scroll", top: 0, textStyle: { color: text } };
  }

  var draw = {
    series: function (d, el) {
      var lines = d[el.dataset.key] || [];
      var o = base();
      o.legend = legend();
      o.grid = { top: 40, left: 40, right: 16, bottom: 30 };
      o.xAxis = { type: "category", data: d.months };
      o.yAxis = { type: "value", minInterval: 1 };
      o.series = lines.map(function (l) {
        return { type: "line", name: l.name, data: l.data, symbolSize: 4 };
      });
      return o;
    },
    rates: function (d) {
      var names = d.rows.map(function (r) { return r.name; });
      var keys = [["handling", "#2f6fb3"], ["on_time", "#3a9a5b"], ["satisfaction", "#d98b1c"]];
      var labels = (document.documentElement.lang || "").indexOf("zh") === 0
        ? { handling: "办结率", on_time: "按时率", satisfaction: "满意率", target: "目标" }
        : { handling: "handling", on_time: "on time", satisfaction: "satisfaction", target: "target" };
      var o = base();
      o.legend = legend();
      o.grid = { top: 40, left: 40, right: 16, bottom: 60 };
      o.xAxis = { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } };
      o.yAxis = { type: "value", max: 100 };
      o.series = keys.map(function (k) {
        return {
          type: "bar", name: labels[k[0]], itemStyle: { color: k[1] },
          data: d.rows.map(function (r) { return r[k[0]]; }),
          markLine: { symbol: "none", lineStyle: { color: k[1], type: "dashed" },
            label: { formatter: labels.target + " " + d.targets[k[0]] + "%" },
            data: [{ yAxis: d.targets[k[0]] }] }
        };
      });
      return o;
    },
    bars: function (d) {
      var o = base();
      o.grid = { top: 10, left: 100, right: 24, bottom: 24 };
      o.yAxis = { type: "category", inverse: true, data: d.map(function (r) { return r.name; }) };
      o.xAxis = { type: "value", minInterval: 1 };
      o.series = [{ type: "bar", data: d.map(function (r) { return r.value; }), itemStyle: { color: "#2f6fb3" } }];
      return o;
    },
    progress: function (d) {
      var o = draw.bars(d);
      o.xAxis = { type: "value", max: 100 };
      o.grid.left = 200;
      return o;
    },
    pie: function (d) {
      var o = base();
      o.tooltip = { trigger: "item" };
      o.series = [{ type: "pie", radius: ["35%", "70%"], data: d, label: { color: text } }];
      return o;
    },
    stacked: function (d) {
      var o = base();
      o.legend = legend();
      o.grid = { top: 40, left: 40, right: 16, bottom: 30 };
      o.xAxis = { type: "category", data: d.months };
      o.yAxis = { type: "value", minInterval: 1 };
      o.series = d.series.map(function (s) { return { type: "bar", stack: "all", name: s.name, data: s.data }; });
      return o;
    },
    board: function (d) {
      var o = base();
      o.legend = legend();
      o.grid = { top: 40, left: 40, right: 16, bottom: 30 };
      o.xAxis = { type: "category", data: d.rows.map(function (r) { return r.name; }) };
      o.yAxis = { type: "value", minInterval: 1 };
      var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
      o.series = [
        { type: "bar", name: zh ? "应到" : "expected", data: d.rows.map(function (r) { return r.expected; }) },
        { type: "bar", name: zh ? "已签到" : "checked in", data: d.rows.map(function (r) { return r.attended; }) }
      ];
      return o;
    },
    map: function (d, el) {
      if (!d.geojson.features.length) {
        el.classList.add("chart-empty");
        return null;
      }
      window.echarts.registerMap(d.name, d.geojson);
      var values = d.values.map(function (v) { return v.value || 0; });
      var max = Math.max.apply(null, values.concat([1]));
      var o = { animation: false, textStyle: { color: text }, tooltip: { trigger: "item" } };
      o.visualMap = { min: 0, max: max, left: 8, bottom: 8, calculable: true, seriesIndex: 0,
        inRange: { color: ["#e3eef9", "#2f6fb3"] }, textStyle: { color: text } };
      o.geo = { map: d.name, roam: true, nameProperty: "name",
        label: { show: true, fontSize: 11, color: dark ? "#fff" : "#222",
          formatter: function (p) { return labelOf(d, p.name); } },
        itemStyle: { borderColor: "#fff" } };
      o.series = [
        { type: "map", geoIndex: 0, data: d.values.map(function (v) { return { name: v.name, value: v.value }; }),
          tooltip: { formatter: function (p) { return labelOf(d, p.name) + ": " + (p.value == null || isNaN(p.value) ? "—" : p.value); } } },
        { type: "scatter", coordinateSystem: "geo", symbolSize: 6, itemStyle: { color: "#c0392b" },
          data: d.stations, tooltip: { formatter: function (p) { return p.name; } } }
      ];
      return o;
    }
  };

  function labelOf(d, code) {
    for (var i = 0; i < d.values.length; i++) if (d.values[i].name === code) return d.values[i].label;
    return code;
  }

  function render(root) {
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var d = data(el);
      var make = draw[el.dataset.chart];
      if (!d || !make || !window.echarts) return;
      var option = make(d, el);
      if (!option) return;
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      if (el.dataset.drill) {
        chart.on("click", function (p) {
          if (p.componentType === "series" && p.seriesType === "map" || p.componentType === "geo") {
            window.location.href = el.dataset.drill.replace("CODE", encodeURIComponent(p.name));
          }
        });
      }
      el.dataset.drawn = "1";
      charts.push(chart);
    });
  }

  function dispose() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
  }

  // The big screen: fetch the same page again every data-refresh seconds and swap #screen in place.
  function poll() {
    var screen = document.getElementById("screen");
    if (!screen || !screen.dataset.refresh) return;
    var seconds = parseInt(screen.dataset.refresh, 10) || 60;
    window.setInterval(function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("screen");
          if (!fresh) return;
          dispose();
          document.getElementById("screen").replaceWith(fresh);
          render(fresh);
        })
        .catch(function () {});
    }, seconds * 1000);
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.addEventListener("DOMContentLoaded", function () {
    render(document);
    poll();
  });
})();
