export { dashboardHtml, type DashboardOptions } from './html';
