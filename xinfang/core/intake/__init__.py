"""Taking a petition in: registration and its fields, repeats of earlier petitions, the
leader reception days a petition may come through, and case numbers."""
