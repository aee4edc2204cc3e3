/** Teaching mode (#tour): whether the guided walk is open and which step it shows. */
import { create } from 'zustand';

export interface TourState {
  open: boolean;
  step: number;
  start(): void;
  go(step: number): void;
  close(): void;
}

export const useTour = create<TourState>()((set) => ({
  open: false,
  step: 0,
  start: () => set({ open: true, step: 0 }),
  go: (step) => set({ step }),
  close: () => set({ open: false, step: 0 }),
}));
