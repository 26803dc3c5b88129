namespace Seaweed.Grains.Curation;

/// <summary>The split stage of one video (key: <c>{run}/{video}</c>); it takes its work from the videos stream.</summary>
public interface IShotSplitGrain : IGrainWithStringKey;

/// <summary>The per-clip stage of one clip (key: <c>{run}/{clip}</c>); it takes its work from the clips stream.</summary>
public interface IClipCurationGrain : IGrainWithStringKey;
