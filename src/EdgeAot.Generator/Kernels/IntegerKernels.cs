// ---- Shared integer kernels ----
