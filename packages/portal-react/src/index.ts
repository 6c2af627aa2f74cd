export { AppPortal, type AppPortalProps } from './app-portal.js';
export { HEIGHT_MESSAGE_TYPE, portalHeight, portalOrigin, type PortalMessage } from './portal-height.js';
