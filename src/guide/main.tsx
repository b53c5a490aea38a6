import { render } from 'preact';
import { GuideWall } from './GuideWall.tsx';
import './guide.css';

render(<GuideWall />, document.getElementById('app')!);
