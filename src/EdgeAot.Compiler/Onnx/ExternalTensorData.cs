using System;
using System.Globalization;
using System.IO;
using EdgeAot.Compiler.Diagnostics;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>
    /// Reads tensor data stored next to the model (data_location = EXTERNAL). The location comes
    /// from an untrusted file, so it must be a plain relative path that resolves inside the model
    /// directory without passing through a symbolic link or junction.
    /// </summary>
    /// <remarks>
    /// The file must be a regular file with exactly one name: a hard link cannot be told apart from
    /// the file it links to, and can reach any file of the same file system, so files with more
    /// than one link are refused (<see cref="FileLinkCheck"/>; checked on Linux and Windows, where
    /// the OS can say). Limits: on other systems the link count is not checked, and a directory on
    /// the path could be swapped for a link between the check and the read; both need write access
    /// to the model directory, which already lets an attacker change the model itself.
    /// </remarks>
    internal static class ExternalTensorData
    {
        public static byte[] Read(TensorProto tensor, long expectedBytes, string label, CompileOptions options, string? node)
        {
            string? location = null;
            string? offsetText = null;
            string? lengthText = null;
            foreach (var entry in tensor.ExternalData)
            {
                switch (entry.Key)
                {
                    case "location": location = entry.Value; break;
                    case "offset": offsetText = entry.Value; break;
                    case "length": lengthText = entry.Value; break;
                }
            }

            if (options.ModelDirectory is null)
                throw Refused(label + " uses external data, which is only read when the model is compiled from a file.", node);
            if (string.IsNullOrEmpty(location))
                throw Refused(label + " uses external data without a location.", node);

            string shown = "'" + ModelDiagnostic.Printable(location!, 200) + "'";
            string path = ResolveInside(options.ModelDirectory, location!, label, shown, node);

            CheckFacts(() => FileLinkCheck.OfPath(path), label, shown, node);
            long offset = ParseNonNegative(offsetText, 0, "offset", label, node);
            long fileLength;
            try
            {
                fileLength = new FileInfo(path).Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                throw Refused(label + " external data file " + shown + " cannot be read: " + e.Message, node);
            }
            long length = ParseNonNegative(lengthText, fileLength - offset, "length", label, node);

            // Written so that no addition can overflow: offset <= fileLength, then length <= the rest.
            if (offset > fileLength || length > fileLength - offset)
            {
                throw Refused(label + " external data range (offset " + offset.ToString(CultureInfo.InvariantCulture) + ", length "
                    + length.ToString(CultureInfo.InvariantCulture) + ") lies beyond the end of " + shown + " ("
                    + fileLength.ToString(CultureInfo.InvariantCulture) + " bytes).", node);
            }
            if (length != expectedBytes)
            {
                throw new ModelException(DiagnosticCatalog.InitializerSizeMismatch,
                    label + " needs " + expectedBytes.ToString(CultureInfo.InvariantCulture) + " bytes but its external data length is "
                    + length.ToString(CultureInfo.InvariantCulture) + ".", node);
            }

            // expectedBytes was already checked against MaxTensorBytes, so this allocation is bounded.
            var data = new byte[length];
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                CheckFacts(() => FileLinkCheck.OfHandle(stream.SafeFileHandle), label, shown, node);
                stream.Seek(offset, SeekOrigin.Begin);
                int read = 0;
                while (read < data.Length)
                {
                    int n = stream.Read(data, read, data.Length - read);
                    if (n == 0) throw Refused(label + " external data file " + shown + " ended early.", node);
                    read += n;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                throw Refused(label + " external data file " + shown + " cannot be read: " + e.Message, node);
            }
            return data;
        }

        private static string ResolveInside(string modelDirectory, string location, string label, string shown, string? node)
        {
            // Refuse anything that is not a plain relative path before asking the file system about it.
            if (location.IndexOf('\0') >= 0 || location.IndexOf(':') >= 0 || location[0] == '/' || location[0] == '\\' || Path.IsPathRooted(location))
                throw Refused(label + " external data location " + shown + " must be a relative path inside the model's folder.", node);
            string[] segments = location.Split('/', '\\');
            foreach (string segment in segments)
            {
                if (segment == "..")
                    throw Refused(label + " external data location " + shown + " must not contain '..'.", node);
            }

            string root;
            string full;
            try
            {
                root = Path.GetFullPath(modelDirectory);
                full = Path.GetFullPath(Path.Combine(root, location));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
            {
                throw Refused(label + " external data location " + shown + " is not a valid path: " + e.Message, node);
            }
            string rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
            if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
                throw Refused(label + " external data location " + shown + " resolves outside the model's folder.", node);

            // Every directory below the model folder and the file itself must be real, not a link.
            string current = root;
            foreach (string segment in full.Substring(rootWithSeparator.Length).Split(Path.DirectorySeparatorChar))
            {
                if (segment.Length == 0) continue;
                current = Path.Combine(current, segment);
                FileAttributes attributes;
                try
                {
                    attributes = File.GetAttributes(current);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
                {
                    throw Refused(label + " external data file " + shown + " does not exist or cannot be read.", node);
                }
                if ((attributes & FileAttributes.ReparsePoint) != 0)
                    throw Refused(label + " external data location " + shown + " goes through a symbolic link, which is refused.", node);
                if (current.Length == full.Length && (attributes & FileAttributes.Directory) != 0)
                    throw Refused(label + " external data location " + shown + " is a directory.", node);
            }
            return full;
        }

        /// <summary>Refuses anything but a regular file with a single name (no hard link, FIFO or device).</summary>
        private static void CheckFacts(Func<FileLinkCheck.FileFacts?> query, string label, string shown, string? node)
        {
            FileLinkCheck.FileFacts? facts;
            try
            {
                facts = query();
            }
            catch (Exception e) when (e is IOException or DllNotFoundException or EntryPointNotFoundException or UnauthorizedAccessException)
            {
                throw Refused(label + " external data file " + shown + " cannot be checked for hard links (" + e.Message + "), so it is refused.", node);
            }
            if (facts is not { } f) return;
            if (!f.IsRegular)
                throw Refused(label + " external data file " + shown + " is not a regular file (a device, FIFO or socket is refused).", node);
            if (f.LinkCount != 1)
            {
                throw Refused(label + " external data file " + shown + " has " + f.LinkCount.ToString(CultureInfo.InvariantCulture)
                    + " names: a hard link could reach a file outside the model's folder, so it is refused. Copy the file instead.", node);
            }
        }

        private static long ParseNonNegative(string? text, long defaultValue, string key, string label, string? node)
        {
            if (text is null) return defaultValue;
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                throw Refused(label + " external data " + key + " '" + ModelDiagnostic.Printable(text, 40) + "' is not a non-negative 64-bit integer.", node);
            return value;
        }

        private static ModelException Refused(string message, string? node)
            => new ModelException(DiagnosticCatalog.ExternalDataRefused, message, node);
    }
}
