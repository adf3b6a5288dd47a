"""Reading members' words: text normalisation, language, the knowledge files and the indexes built on them."""
