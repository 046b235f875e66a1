// The parts of ECharts digigap draws, and nothing else: grep analytics/chart*.go
// and static/js/charts.js when a chart starts using another series type or
// component, add it here and run build.sh.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart, HeatmapChart } from 'echarts/charts';
import {
  GridComponent, LegendPlainComponent, TooltipComponent, AxisPointerComponent,
  TitleComponent, VisualMapContinuousComponent, MarkLineComponent
} from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart, LineChart, ScatterChart, HeatmapChart,
  GridComponent, LegendPlainComponent, TooltipComponent, AxisPointerComponent,
  TitleComponent, VisualMapContinuousComponent, MarkLineComponent,
  LabelLayout, CanvasRenderer
]);

window.echarts = echarts;
