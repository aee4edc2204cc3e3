/** Teaching mode (#tour): whether the guided walk is open, which step it shows, and how its example run goes. */
import { create } from 'zustand';

export interface TourState {
  open: boolean;
  step: number;
  /** progress of the example the tour loads when nothing else is ('' when there is nothing to say) */
  status: string;
  start(): void;
  go(step: number): void;
  setStatus(status: string): void;
  close(): void;
}

export const useTour = create<TourState>()((set) => ({
  open: false,
  step: 0,
  status: '',
  start: () => set({ open: true, step: 0, status: '' }),
  go: (step) => set({ step }),
  setStatus: (status) => set({ status }),
  close: () => set({ open: false, step: 0, status: '' }),
}));
