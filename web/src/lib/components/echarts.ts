/**
 * ECharts with only what the console draws (bar and line charts on a grid, tooltip, legend, the
 * canvas renderer), so the bundle carries nothing else. Imported by Chart.svelte in the browser only.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
