using Seaweed.Grains.Generation;
using Seaweed.Model;

namespace Seaweed.Silo.Api;

/// <summary>The default model's configuration (<c>Seaweed:Generation:DefaultModel</c>), read once by the silo's model
/// cache: requests are checked against its grid and take their defaults from it.</summary>
internal sealed class DefaultModel(GenerationService generation)
{
    public async Task<SeaweedConfig> ConfigAsync()
    {
        try
        {
            return await generation.Models.ConfigAsync(generation.Options.ModelDirectory(null));
        }
        catch (GenerationInputException e)
        {
            throw new ModelUnavailableException(e.Reason);
        }
    }
}

/// <summary>The model requests are checked against cannot be read: the service, not the request, is at fault (503).</summary>
internal sealed class ModelUnavailableException(string message) : Exception(message);
