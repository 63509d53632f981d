# Statistics shared by proxy-bench.sh and pool-runs.sh (sourced). Each reads one number per line on stdin.

# The median.
med() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The median of per-round ratios with its 95 % confidence interval: [x(k), x(n-k+1)] of the sorted ratios, k the
# largest with P(Binomial(n, 1/2) < k) <= 2.5 % (a sign-test interval: it assumes nothing about the distribution
# of the ratios, only that rounds are independent). Fewer than six rounds cannot give one.
ci() { sort -n | awk '{ v[NR] = $1 } END { n = NR; m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  p = 0; c = 1; k = 0
  for (j = 0; j < n; j++) { p += c / 2 ^ n; if (p > 0.025) break; k = j + 1; c = c * (n - j) / (j + 1) }
  if (k > 0) printf "%.2fx (95%% CI %.2f-%.2fx)", m, v[k], v[n - k + 1]; else printf "%.2fx (no 95%% CI from %d rounds)", m, n }'; }

# "b of n": how many of the numbers are below 1.
below1() { awk '$1 < 1 { b++ } END { printf "%d of %d", b, NR }'; }
