/** Teaching mode (#tour): whether the guided walk is open, which step it shows, and how its example run goes. */
import { create } from 'zustand';

export interface TourState {
  open: boolean;
  step: number;
  /** progress of the example the tour loads when nothing else is ('' when there is nothing to say) */
  status: string;
  /** why the tour's own example could not be loaded (the run's failures are the run store's), or null */
  problem: string | null;
  start(): void;
  go(step: number): void;
  setStatus(status: string): void;
  fail(problem: string): void;
  close(): void;
}

export const useTour = create<TourState>()((set) => ({
  open: false,
  step: 0,
  status: '',
  problem: null,
  start: () => set({ open: true, step: 0, status: '', problem: null }),
  go: (step) => set({ step }),
  setStatus: (status) => set({ status }),
  fail: (problem) => set({ status: '', problem }),
  close: () => set({ open: false, step: 0, status: '', problem: null }),
}));
