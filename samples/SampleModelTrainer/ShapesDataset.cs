using System;

namespace SampleModelTrainer
{
    /// <summary>
    /// 8×8 grayscale images of four stroke patterns — horizontal bar, vertical bar, diagonal,
    /// and a hollow square — at random positions with noise. Generated, so the repository
    /// carries no downloaded data and anyone can regenerate it from the seed.
    /// </summary>
    public static class ShapesDataset
    {
        public const int Side = 8;
        public const int Pixels = Side * Side;
        public static readonly string[] Classes = { "horizontal", "vertical", "diagonal", "square" };

        public static (float[] Image, int Label) Sample(Random rng)
        {
            int label = rng.Next(Classes.Length);
            var image = new float[Pixels];
            switch (label)
            {
                case 0:
                {
                    int row = rng.Next(Side), start = rng.Next(3), length = 4 + rng.Next(Side - 3 - start);
                    for (int c = start; c < start + length; c++) image[row * Side + c] = 1;
                    break;
                }
                case 1:
                {
                    int col = rng.Next(Side), start = rng.Next(3), length = 4 + rng.Next(Side - 3 - start);
                    for (int r = start; r < start + length; r++) image[r * Side + col] = 1;
                    break;
                }
                case 2:
                {
                    int length = 4 + rng.Next(4), r0 = rng.Next(Side - length + 1), c0 = rng.Next(Side - length + 1);
                    bool anti = rng.Next(2) == 0;
                    for (int i = 0; i < length; i++) image[(r0 + i) * Side + (anti ? c0 + length - 1 - i : c0 + i)] = 1;
                    break;
                }
                default:
                {
                    int size = 3 + rng.Next(4), r0 = rng.Next(Side - size + 1), c0 = rng.Next(Side - size + 1);
                    for (int i = 0; i < size; i++)
                    {
                        image[r0 * Side + c0 + i] = image[(r0 + size - 1) * Side + c0 + i] = 1;
                        image[(r0 + i) * Side + c0] = image[(r0 + i) * Side + c0 + size - 1] = 1;
                    }
                    break;
                }
            }
            for (int i = 0; i < Pixels; i++) image[i] = Math.Clamp(image[i] * (0.7f + 0.3f * (float)rng.NextDouble()) + 0.15f * (float)(rng.NextDouble() - 0.5), 0, 1);
            return (image, label);
        }
    }
}
