using System;
using System.Collections.Generic;

namespace EdgeAot.Compiler.Planning
{
    /// <summary>A named memory budget: RAM for the arena, flash for the weights; null = not limited.</summary>
    public sealed record DeviceProfile(string Name, long RamBytes, long? FlashBytes, string Example);

    /// <summary>
    /// The built-in device table behind <c>&lt;EdgeAotDevice&gt;</c> and <c>edgeaot --device</c>.
    /// Sizes are the whole on-chip SRAM / flash of a typical part (README.md lists them); the
    /// firmware, stack and I/O buffers need their share, so set MaxRamBytes/MaxFlashBytes on the
    /// item for a tighter budget. Names are lower case and never change meaning once shipped.
    /// </summary>
    public static class DeviceProfiles
    {
        private const long KiB = 1024;
        private const long MiB = 1024 * KiB;

        /// <summary>In the order README.md shows them.</summary>
        public static IReadOnlyList<DeviceProfile> All { get; } = new[]
        {
            new DeviceProfile("cortex-m0plus-32k", 32 * KiB, 256 * KiB, "SAMD21"),
            new DeviceProfile("cortex-m4-128k", 128 * KiB, 512 * KiB, "STM32F411"),
            new DeviceProfile("cortex-m4-256k", 256 * KiB, 1 * MiB, "nRF52840"),
            new DeviceProfile("cortex-m4-640k", 640 * KiB, 2 * MiB, "STM32L4R5 (MLPerf Tiny reference board)"),
            new DeviceProfile("cortex-m7-512k", 512 * KiB, 2 * MiB, "STM32F767"),
            new DeviceProfile("cortex-m7-1m", 1 * MiB, 2 * MiB, "STM32H743"),
            new DeviceProfile("rp2040", 264 * KiB, 2 * MiB, "Raspberry Pi Pico"),
            new DeviceProfile("esp32-s3", 512 * KiB, 8 * MiB, "ESP32-S3-WROOM-1-N8, no PSRAM"),
            // A Linux board: weights are loaded from the SD card into RAM, so flash is not the limit.
            new DeviceProfile("rpi-zero-2w", 512 * MiB, null, "Raspberry Pi Zero 2 W"),
        };

        /// <summary>Case-insensitive lookup; null when the name is not in the table.</summary>
        public static DeviceProfile? Find(string name)
        {
            string key = name.Trim();
            foreach (var profile in All)
            {
                if (string.Equals(profile.Name, key, StringComparison.OrdinalIgnoreCase)) return profile;
            }
            return null;
        }

        public static string Names()
        {
            var names = new string[All.Count];
            for (int i = 0; i < names.Length; i++) names[i] = All[i].Name;
            return string.Join(", ", names);
        }
    }
}
