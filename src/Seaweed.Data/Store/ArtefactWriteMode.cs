namespace Seaweed.Data.Store;

public enum ArtefactWriteMode
{
    /// <summary>Fail with <see cref="ArtefactExistsException"/> if the key is taken, so nothing stored is ever replaced.</summary>
    CreateNew,
    /// <summary>Replace whatever is stored under the key.</summary>
    Overwrite,
}
