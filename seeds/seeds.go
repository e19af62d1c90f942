// Package seeds generates synthetic police-force data sets in the import
// format, with planted cases for every pattern and a ground-truth file, and
// holds the small committed demo set in demo/.
package seeds
