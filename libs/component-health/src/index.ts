export { ComponentHealth, type ComponentCheck } from './component-health';
