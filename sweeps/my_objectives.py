"""Python functions for sweeps/tokens_per_dollar.yaml: what a YAML expression cannot say.

Each function receives a chipdse.Point `p`: p["chip.clock"] is a config value in SI units
(1.8e9), p["tokens_per_s"] a metric of the model (objectives and constraints only). It returns
a number (SI units; or text such as "700 W" for a derived value). An exception makes that
point fail with the traceback in its infeasible_reason; the sweep goes on.
See docs/python.md.
"""
import bisect

# Voltage-frequency curve of the process (volts at a clock), e.g. read off a DVFS table. Dynamic
# power scales with f * V^2, so above the knee it grows much faster than the clock.
VF_CURVE = [(1.0e9, 0.70), (1.4e9, 0.74), (1.83e9, 0.83), (2.0e9, 0.90), (2.2e9, 1.00)]
REFERENCE = (528, 1.83e9, 560.0)  # H100: 528 tensor cores at 1.83 GHz draw 560 W dynamic
STATIC_W = 140.0

# The data hall: what the site can deliver, and what a watt of it costs to build.
SITE_POWER_W = 2.2e6            # 2.2 MW at the wall (IT + facility)
POWER_CAPEX_USD_PER_W = 12.0    # power and cooling build-out, amortised like the hardware
AMORTISATION_S = 10 * 365 * 86400.0


def volts(f):
    """Piecewise-linear interpolation of VF_CURVE (clamped at the ends)."""
    fs = [x for x, _ in VF_CURVE]
    i = bisect.bisect_left(fs, f)
    if i == 0:
        return VF_CURVE[0][1]
    if i == len(VF_CURVE):
        return VF_CURVE[-1][1]
    (f0, v0), (f1, v1) = VF_CURVE[i - 1], VF_CURVE[i]
    return v0 + (v1 - v0) * (f - f0) / (f1 - f0)


def tdp_from_vf_curve(p):
    """Derived chip.power.tdp: static power plus dynamic power ~ cores x f x V(f)^2."""
    cores, f = p["chip.matrix.count"], p["chip.clock"]
    ref_cores, ref_f, ref_w = REFERENCE
    dynamic = ref_w * (cores / ref_cores) * (f / ref_f) * (volts(f) / volts(ref_f)) ** 2
    return STATIC_W + dynamic  # watts; the sweep writes it with unit W


def within_site_power(p):
    """Constraint: the whole system, at the wall, fits the data hall."""
    return p["system_power_w"] <= SITE_POWER_W


def tokens_per_dollar_site(p):
    """Objective: training tokens per dollar when the power the system draws must be built too.

    The model's tco_usd covers the hardware (amortised over the run) and the electricity; a
    new site also pays for power delivery and cooling in proportion to the peak draw.
    """
    tokens = p["training.tokens"]
    power_capex = p["system_power_w"] * POWER_CAPEX_USD_PER_W * p["time_to_train_s"] / AMORTISATION_S
    return tokens / (p["tco_usd"] + power_capex)
