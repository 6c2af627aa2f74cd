import { createRoot } from 'react-dom/client';
import '../shared/styles.css';
import './portal.css';
import { reportHeightToParent } from './embed-height.js';
import { PortalApp } from './PortalApp.js';
import { initialState } from './sign-in.js';

reportHeightToParent();
createRoot(document.getElementById('root')!).render(<PortalApp initial={initialState()} />);
