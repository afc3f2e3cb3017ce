package org.cnnsimplifier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fp32 peak of the CPU the benchmark runs on: cores × clock × fp32 flops per cycle and core.
 *
 * <p>Cores: the processors the JVM may use ({@code availableProcessors}, hyper-threads counted as
 * cores, as the threads given to both engines are). Clock, first found of: the cpufreq maximum
 * ({@code /sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq}), the nominal frequency in the
 * model name ({@code "@ 2.70GHz"}), the {@code cpu MHz} line of {@code /proc/cpuinfo} (the current
 * frequency the kernel reports; in a VM usually the host's nominal one). Flops per cycle from the
 * instruction-set flags, assuming two FMA pipes per core: {@code avx512f} → 64 (2 × 16 lanes × 2),
 * {@code avx2}+{@code fma} → 32, {@code avx} → 16, otherwise 8 (SSE). CPUs with a single AVX-512
 * FMA pipe really peak at half the AVX-512 figure.
 */
record CpuPeak(int cores, double gigahertz, String clockSource, int flopsPerCycle, String isa) {

  double gflops() {
    return cores * gigahertz * flopsPerCycle;
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "%d cores x %.2f GHz (%s) x %d fp32 flops/cycle (%s) = %.0f GFLOP/s",
        cores,
        gigahertz,
        clockSource,
        flopsPerCycle,
        isa,
        gflops());
  }

  static CpuPeak measure() {
    String cpuinfo = read(Path.of("/proc/cpuinfo"));
    int cores = Runtime.getRuntime().availableProcessors();
    double ghz = 0;
    String source = "unknown";
    String max = read(Path.of("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")).trim();
    if (!max.isEmpty()) {
      ghz = Long.parseLong(max) / 1e6;
      source = "cpufreq cpuinfo_max_freq";
    }
    if (ghz == 0) {
      Matcher nominal = Pattern.compile("model name\\s*:.*@\\s*([0-9.]+)\\s*GHz").matcher(cpuinfo);
      if (nominal.find()) {
        ghz = Double.parseDouble(nominal.group(1));
        source = "model name";
      }
    }
    if (ghz == 0) {
      Matcher mhz = Pattern.compile("cpu MHz\\s*:\\s*([0-9.]+)").matcher(cpuinfo);
      if (mhz.find()) {
        ghz = Double.parseDouble(mhz.group(1)) / 1000;
        source = "/proc/cpuinfo cpu MHz";
      }
    }
    Matcher flagsLine = Pattern.compile("(?m)^flags\\s*:(.*)$").matcher(cpuinfo);
    Set<String> flags =
        new HashSet<>(
            flagsLine.find()
                ? Arrays.asList(flagsLine.group(1).trim().split("\\s+"))
                : List.<String>of());
    int perCycle;
    String isa;
    if (flags.contains("avx512f")) {
      perCycle = 64;
      isa = "avx512f";
    } else if (flags.contains("avx2") && flags.contains("fma")) {
      perCycle = 32;
      isa = "avx2+fma";
    } else if (flags.contains("avx")) {
      perCycle = 16;
      isa = "avx";
    } else {
      perCycle = 8;
      isa = "sse";
    }
    return new CpuPeak(cores, ghz, source, perCycle, isa);
  }

  private static String read(Path file) {
    try {
      return Files.isReadable(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
