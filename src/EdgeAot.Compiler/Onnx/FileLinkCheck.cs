using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>
    /// What the file system says about an external data file beyond <see cref="FileAttributes"/>:
    /// whether it is a regular file and how many names (hard links) it has. netstandard2.0 has no
    /// API for either, so this asks the OS directly: statx on Linux, GetFileInformationByHandle on
    /// Windows. A hard link inside the model folder can point at any file of the same file system
    /// (a tar archive may carry one), and a FIFO or device would block or stream forever.
    /// </summary>
    internal static class FileLinkCheck
    {
        /// <summary>The facts, or null when this platform offers no way to learn them.</summary>
        public readonly struct FileFacts
        {
            public FileFacts(bool isRegular, long linkCount)
            {
                IsRegular = isRegular;
                LinkCount = linkCount;
            }

            public bool IsRegular { get; }

            public long LinkCount { get; }
        }

        /// <summary>Facts about <paramref name="path"/> itself (links not followed), before it is opened.</summary>
        public static FileFacts? OfPath(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return Statx(AtFdCwd, path, AtSymlinkNoFollow);
            return null;
        }

        /// <summary>Facts about the file an open handle refers to (no race with a renamed path).</summary>
        public static FileFacts? OfHandle(SafeFileHandle handle)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                bool added = false;
                try
                {
                    handle.DangerousAddRef(ref added);
                    return Statx(handle.DangerousGetHandle().ToInt32(), "", AtEmptyPath | AtSymlinkNoFollow);
                }
                finally
                {
                    if (added) handle.DangerousRelease();
                }
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                var info = new byte[52];
                if (!GetFileInformationByHandle(handle, info)) throw new IOException("GetFileInformationByHandle failed (" + Marshal.GetLastWin32Error() + ").");
                uint attributes = BitConverter.ToUInt32(info, 0);
                uint links = BitConverter.ToUInt32(info, 40);
                const uint directory = 0x10, device = 0x40, reparsePoint = 0x400;
                return new FileFacts((attributes & (directory | device | reparsePoint)) == 0, links);
            }
            return null;
        }

        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const int AtEmptyPath = 0x1000;
        private const uint StatxType = 0x1, StatxNlink = 0x4;
        private const int ModeTypeMask = 0xF000, ModeRegular = 0x8000;

        private static FileFacts Statx(int dirfd, string path, int flags)
        {
            // struct statx: u32 mask @0, u32 blksize @4, u64 attributes @8, u32 nlink @16, u32 uid @20, u32 gid @24, u16 mode @28 ... 256 bytes.
            var buffer = new byte[256];
            byte[] utf8Path = System.Text.Encoding.UTF8.GetBytes(path + "\0");
            int rc;
            try
            {
                rc = StatxLibc(dirfd, utf8Path, flags, StatxType | StatxNlink, buffer);
            }
            catch (DllNotFoundException)
            {
                rc = StatxLibc6(dirfd, utf8Path, flags, StatxType | StatxNlink, buffer);
            }
            if (rc != 0) throw new IOException("statx failed (errno " + Marshal.GetLastWin32Error() + ").");
            uint mask = BitConverter.ToUInt32(buffer, 0);
            if ((mask & (StatxType | StatxNlink)) != (StatxType | StatxNlink)) throw new IOException("statx did not report the file type and link count.");
            uint links = BitConverter.ToUInt32(buffer, 16);
            int mode = BitConverter.ToUInt16(buffer, 28);
            return new FileFacts((mode & ModeTypeMask) == ModeRegular, links);
        }

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        private static extern int StatxLibc(int dirfd, byte[] path, int flags, uint mask, byte[] buffer);

        [DllImport("libc.so.6", EntryPoint = "statx", SetLastError = true)]
        private static extern int StatxLibc6(int dirfd, byte[] path, int flags, uint mask, byte[] buffer);

        [DllImport("kernel32.dll", SetLastError = true)]
        private static extern bool GetFileInformationByHandle(SafeFileHandle file, byte[] information);
    }
}
