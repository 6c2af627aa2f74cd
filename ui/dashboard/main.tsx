import { createRoot } from 'react-dom/client';
import '../shared/styles.css';

function Dashboard() {
  return <main className="centered"><h1>Hookrelay dashboard</h1></main>;
}

createRoot(document.getElementById('root')!).render(<Dashboard />);
