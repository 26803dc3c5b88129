namespace Seaweed.Grains.Devices;

/// <summary>Every device of the silo is leased: the rank must be placed on another silo.</summary>
[GenerateSerializer, Alias("seaweed.devices.no-free-device")]
public sealed class NoFreeDeviceException(string message) : Exception(message);
