import { createRoot } from 'react-dom/client';
import '../shared/styles.css';

function Portal() {
  return <main className="centered"><h1>Webhooks</h1></main>;
}

createRoot(document.getElementById('root')!).render(<Portal />);
