// The ECharts build the dashboards serve (npm run build:charts → static/dashboards/echarts.min.js, committed).
// Only what the pages draw is imported through echarts/core, so the bundle stays small; nothing loads from a CDN.
// After changing this file or the echarts version in package.json, rebuild and commit the output
// (renda/dashboards/tests/test_bundle.py checks that the header below names both).
import * as echarts from "echarts/core";
import { BarChart, LineChart, MapChart, PieChart, ScatterChart } from "echarts/charts";
import {
  DatasetComponent,
  GeoComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  LineChart,
  MapChart,
  PieChart,
  ScatterChart,
  DatasetComponent,
  GeoComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);
window.echarts = echarts;
